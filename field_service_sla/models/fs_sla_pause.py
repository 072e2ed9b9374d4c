from odoo import api, fields, models


class FsSlaPause(models.Model):
    _name = "fs.sla.pause"
    _inherit = ["fs.sla.period.mixin"]
    _description = "SLA Pause"
    _order = "start_date desc, id desc"

    ticket_id = fields.Many2one(
        "helpdesk.ticket", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)
    reason_id = fields.Many2one(
        "fs.sla.pause.reason", required=True, ondelete="restrict"
    )
    origin = fields.Selection(
        [("manual", "By hand"), ("stage", "Stage"), ("closed", "Ticket closed")],
        required=True,
        default="manual",
    )
    note = fields.Char()
    user_id = fields.Many2one("res.users", default=lambda s: s.env.user, string="By")
    is_open = fields.Boolean(compute="_compute_is_open")

    _open_idx = models.Index("(ticket_id) WHERE end_date IS NULL")

    @api.depends("end_date")
    def _compute_is_open(self):
        for pause in self:
            pause.is_open = not pause.end_date
