from odoo import fields, models


class ResPartner(models.Model):
    """The customer's area (客户包区资料): the area of its lines that have
    none of their own."""

    _name = "res.partner"
    _inherit = ["res.partner", "fs.dispatch.guard.mixin"]
    _fs_admin_fields = ("fs_area_id",)

    fs_area_id = fields.Many2one(
        "res.territory",
        string="Area",
        index="btree_not_null",
        help="The area (包区) whose covering crew is dispatched to this "
        "customer's faults, for the lines without an area of their own.",
    )
