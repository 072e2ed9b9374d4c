from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..models.helpdesk_ticket import SLA_TIME_FIELDS


class FsSlaTimeCorrection(models.TransientModel):
    """Correct the times that drive a ticket's SLA clocks: dispatchers and
    above, with a reason, logged in the chatter with old and new values."""

    _name = "fs.sla.time.correction"
    _description = "Correct SLA times"

    ticket_id = fields.Many2one("helpdesk.ticket", required=True, readonly=True)
    reason = fields.Text(required=True, help="Why the recorded times were wrong.")
    reported_date = fields.Datetime("Reported at", required=True)
    fault_confirmed_date = fields.Datetime("Fault confirmed")
    first_contact_date = fields.Datetime("First contact")
    diagnosis_date = fields.Datetime("Preliminary diagnosis")
    on_site_date = fields.Datetime("Arrived on site")
    restored_date = fields.Datetime("Service restored")
    resolved_date = fields.Datetime("Resolved")
    report_date = fields.Datetime("Fault report submitted")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        ticket = self.env["helpdesk.ticket"].browse(values.get("ticket_id"))
        if ticket:
            for name in SLA_TIME_FIELDS:
                if name in fields_list:
                    values[name] = ticket[name]
        return values

    def action_apply(self):
        self.ensure_one()
        if not self.env.user.has_group("field_service_sla.group_fs_dispatcher"):
            raise AccessError(
                self.env._(
                    "Only a dispatcher or an SLA administrator corrects SLA times."
                )
            )
        if not (self.reason or "").strip():
            raise UserError(self.env._("Give the reason for the correction."))
        ticket = self.ticket_id
        changes = {
            name: self[name]
            for name in SLA_TIME_FIELDS
            if (self[name] or False) != (ticket[name] or False)
        }
        if not changes:
            raise UserError(self.env._("No SLA time was changed: nothing to correct."))
        engine = self.env["fs.sla.engine"]
        rows = Markup("").join(
            Markup("<li>%s: %s → %s</li>")
            % (
                ticket._fields[name]._description_string(self.env),
                engine._fmt(ticket[name]),
                engine._fmt(value),
            )
            for name, value in changes.items()
        )
        ticket.with_context(fs_sla_correction=True).write(changes)
        ticket._message_log(
            body=Markup("<p>%s</p><ul>%s</ul>")
            % (
                self.env._("SLA times corrected. Reason: %s", self.reason.strip()),
                rows,
            )
        )
        return {"type": "ir.actions.act_window_close"}
