from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class FsDiagnosisWizard(models.TransientModel):
    """The monitoring desk's preliminary cause (DOMAIN.md: within 15 minutes
    of an alarm): recorded once for a ticket, or for every open ticket of an
    incident at once (a fibre cut's hundred tickets get one cause). It
    reaches the preliminary-diagnosis milestone of the tickets that have not
    reached it yet."""

    _name = "fs.diagnosis.wizard"
    _description = "Preliminary diagnosis"

    ticket_ids = fields.Many2many("helpdesk.ticket", string="Tickets", required=True)
    incident_id = fields.Many2one("fs.incident", string="Incident")
    ticket_count = fields.Integer(compute="_compute_ticket_count")
    cause = fields.Text(
        string="Preliminary cause",
        required=True,
        help="What the monitoring desk sees: e.g. fibre cut between two "
        "exchanges, OLT power failure.",
    )

    @api.depends("ticket_ids")
    def _compute_ticket_count(self):
        for wizard in self:
            wizard.ticket_count = len(wizard.ticket_ids)

    def action_confirm(self):
        self.ensure_one()
        if not self.env.user.has_group("field_service_sla.group_fs_technician"):
            raise AccessError(
                self.env._("Only the monitoring desk or a technician records a cause.")
            )
        cause = (self.cause or "").strip()
        if not cause:
            raise UserError(self.env._("Give the preliminary cause."))
        tickets = self.ticket_ids.filtered(lambda t: not t.closed)
        if not tickets:
            raise UserError(
                self.env._("These tickets are closed: nothing to diagnose.")
            )
        tickets.check_access("write")
        now = fields.Datetime.now()
        tickets.write({"fs_preliminary_cause": cause})
        tickets.filtered(lambda t: not t.diagnosis_date).write({"diagnosis_date": now})
        body = Markup("<p>%s</p>") % self.env._("Preliminary cause: %s", cause)
        tickets._message_log_batch(bodies=dict.fromkeys(tickets.ids, body))
        if self.incident_id:
            self.incident_id.check_access("read")
            self.incident_id.sudo()._message_log(body=body)
        return {"type": "ir.actions.act_window_close"}
