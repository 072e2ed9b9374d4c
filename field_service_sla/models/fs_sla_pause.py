from odoo import api, fields, models
from odoo.exceptions import AccessError


class FsSlaPause(models.Model):
    """A stretch of time the ticket's clocks do not count. Only the engine
    (fs.sla.engine, as superuser) opens and ends pauses, after its own
    checks: users read them with their ticket (see the record rules)."""

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
        [
            ("manual", "By hand"),
            ("stage", "Stage"),
            ("closed", "Ticket closed"),
            ("planned", "Planned work"),
        ],
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

    @api.model_create_multi
    def create(self, vals_list):
        self._check_engine_only()
        return super().create(vals_list)

    def write(self, vals):
        self._check_engine_only()
        return super().write(vals)

    def unlink(self):
        self._check_engine_only()
        return super().unlink()

    def _check_engine_only(self):
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "SLA pauses are opened and ended by Pause SLA, Resume SLA "
                    "and the pausing stages, not edited by hand."
                )
            )
