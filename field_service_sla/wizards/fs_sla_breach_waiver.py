from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import AccessError, UserError


class FsSlaBreachWaiver(models.TransientModel):
    """Take a breach out of the counts: SLA administrators only, with a reason
    (for instance a fault found to be the customer's or another carrier's)."""

    _name = "fs.sla.breach.waiver"
    _description = "Waive an SLA breach"

    ticket_id = fields.Many2one("helpdesk.ticket", required=True, readonly=True)
    clock_id = fields.Many2one(
        "fs.sla.clock",
        string="Milestone",
        required=True,
        domain="[('ticket_id', '=', ticket_id), ('breach_count', '>', 0)]",
    )
    reason = fields.Text(required=True)

    def action_waive(self):
        self.ensure_one()
        if not self.env.user.has_group("field_service_sla.group_fs_sla_admin"):
            raise AccessError(
                self.env._("Only an SLA administrator waives an SLA breach.")
            )
        if not (self.reason or "").strip():
            raise UserError(self.env._("Give the reason for the waiver."))
        clock = self.clock_id
        if clock.ticket_id != self.ticket_id or not clock.breach_count:
            raise UserError(
                self.env._("Milestone %s has no breach to waive.", clock.display_name)
            )
        now = fields.Datetime.now()
        clock.sudo().write(
            {
                "breach_waived": True,
                "waiver_reason": self.reason.strip(),
                "waived_by_id": self.env.uid,
                "waived_date": now,
            }
        )
        engine = self.env["fs.sla.engine"]
        engine._sync(self.ticket_id, now, recompute=clock)
        self.ticket_id._message_log(
            body=Markup("<p>%s</p>")
            % self.env._(
                "SLA breach waived: %(milestone)s (breached at %(when)s). "
                "Reason: %(reason)s",
                milestone=clock.display_name,
                when=engine._fmt(clock.breached_at),
                reason=self.reason.strip(),
            )
        )
        return {"type": "ir.actions.act_window_close"}
