from odoo import api, fields, models

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
        ticket = self.ticket_id
        ticket._sla_correct_times(
            {
                name: self[name]
                for name in SLA_TIME_FIELDS
                if (self[name] or False) != (ticket[name] or False)
            },
            self.reason,
        )
        return {"type": "ir.actions.act_window_close"}
