from odoo import fields, models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    fs_visit_id = fields.Many2one(
        "fs.visit",
        string="Raised at visit",
        index="btree_not_null",
        copy=False,
        help="The customer visit this ticket follows up.",
    )
