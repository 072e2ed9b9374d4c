from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..models.helpdesk_ticket_severity import SEVERITIES

ACTIONS = [
    ("raise", "Raise to severe (cause unknown)"),
    ("set", "Change severity"),
    ("exclude", "Exclude from assessment"),
    ("include", "Count again"),
]


class FsSeverityWizard(models.TransientModel):
    """A dispatcher's decision on the severity of tickets, always with a
    reason: raise to severe while the cause is unknown ("when in doubt,
    severe"), change it, exclude the tickets from assessment ("not our
    fault"), or count them again. The tickets log each change."""

    _name = "fs.severity.wizard"
    _description = "Change the severity of tickets"

    ticket_ids = fields.Many2many("helpdesk.ticket", string="Tickets", required=True)
    action = fields.Selection(ACTIONS, required=True, default="set")
    severity = fields.Selection(SEVERITIES)
    reason = fields.Text()

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if values.get("action") == "raise" and "reason" in fields_list:
            values.setdefault(
                "reason",
                self.env._("Cause unknown: responding as a severe fault first."),
            )
        return values

    def action_apply(self):
        self.ensure_one()
        tickets = self.ticket_ids
        if not tickets._sla_user_can_dispatch():
            raise AccessError(
                self.env._(
                    "Only a dispatcher or a helpdesk manager may change the "
                    "severity of a ticket or exclude it from assessment."
                )
            )
        reason = (self.reason or "").strip()
        if not reason:
            raise UserError(
                self.env._(
                    "Give the reason: every change of severity or of the "
                    "assessment is logged with who, when and why."
                )
            )
        if self.action == "raise":
            field, value = "severity", "severe"
        elif self.action == "set":
            if not self.severity:
                raise UserError(self.env._("Choose the new severity."))
            field, value = "severity", self.severity
        else:
            field, value = "severity_excluded", self.action == "exclude"
        todo = tickets.filtered(lambda t: t[field] != value)
        if not todo:
            raise UserError(self._nothing_to_do_message())
        todo.with_context(fs_severity_reason=reason).write({field: value})
        return {"type": "ir.actions.act_window_close"}

    def _nothing_to_do_message(self):
        if self.action in ("raise", "set"):
            label = dict(self._fields["severity"]._description_selection(self.env))
            return self.env._(
                "The tickets are already %s: nothing to change.",
                label["severe" if self.action == "raise" else self.severity],
            )
        if self.action == "exclude":
            return self.env._("The tickets are already excluded from assessment.")
        return self.env._("The tickets are already counted in the assessment.")
