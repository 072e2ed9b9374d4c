from odoo import fields, models
from odoo.exceptions import UserError


class HelpdeskTicket(models.Model):
    """What a ticket knows of its monitoring alarms. The intake
    (fs.alarm.intake) maintains these fields in SQL; nobody else writes them
    (helpdesk_ticket_dispatch.ENGINE_FIELDS)."""

    _inherit = "helpdesk.ticket"

    fs_alarm_ids = fields.Many2many(
        "fs.alarm",
        "fs_alarm_ticket_rel",
        "ticket_id",
        "alarm_id",
        string="Alarms",
        readonly=True,
        copy=False,
    )
    fs_alarm_count = fields.Integer(string="Alarms ", readonly=True, copy=False)
    fs_alarm_active_count = fields.Integer(
        string="Active alarms", readonly=True, copy=False
    )
    fs_alarms_cleared_at = fields.Datetime(
        string="Alarms cleared at",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="When the last of the ticket's alarms cleared, while none is active: "
        "the time a dispatcher may take as the service restore time.",
    )
    fs_alarm_flap_count = fields.Integer(
        string="Flaps",
        readonly=True,
        copy=False,
        help="Times the line raised an alarm again within the flapping window "
        "after its alarms cleared.",
    )
    fs_alarm_element = fields.Char(
        string="Upstream element",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The network element the alarmed line depends on: tickets behind "
        "one element correlate into one incident.",
    )

    fs_alarm_restore_failed = fields.Boolean(
        string="Restore at the clear failed",
        readonly=True,
        copy=False,
        help="The policy's restore at the alarms' clear failed on this ticket: "
        "a person records the restore time.",
    )

    fs_preliminary_cause = fields.Text(
        string="Preliminary cause",
        copy=False,
        tracking=True,
        help="The monitoring desk's first reading of the fault, given with the "
        "preliminary diagnosis.",
    )

    def action_fs_preliminary_diagnosis(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Preliminary diagnosis"),
            "res_model": "fs.diagnosis.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_ids": self.ids},
        }

    def _fs_tell_restore_failed(self, error):
        """One activity for an SLA administrator on the ticket: the sweep does
        not try it again."""
        admins = (
            self.env.ref("field_service_sla.group_fs_sla_admin").sudo().all_user_ids
        ).filtered(lambda u: u.active and not u.share)
        self.sudo().activity_schedule(
            "mail.mail_activity_data_warning",
            summary=self.env._("Restore at the alarms' clear failed"),
            note=self.env._(
                "The policy restores this ticket at its alarms' clear, which "
                "failed: %s. Record the restore time by hand.",
                error,
            ),
            user_id=admins[:1].id or self.env.uid,
        )

    def _fs_restore_at_alarm_clear(self):
        """Record the service restore time at the alarms' clear, as the
        engine: who may ask is checked by the caller."""
        for ticket in self.sudo():
            if not ticket.fs_alarms_cleared_at or ticket.restored_date:
                continue
            when = max(ticket.fs_alarms_cleared_at, ticket.reported_date)
            ticket.write({"restored_date": when})
            # the chatter is read by everyone: in the operator's time zone
            env = ticket.with_context(tz=ticket.company_id._fs_operator_tz()).env
            ticket._message_log(
                body=env._(
                    "Service restored at the alarms' clear (%s).",
                    env["fs.sla.engine"]._fmt(when),
                )
            )

    def action_fs_restored_at_alarm_clear(self):
        """The dispatcher confirms the service came back when the alarms
        cleared."""
        if not self._sla_user_can_dispatch():
            raise UserError(
                self.env._(
                    "Only a dispatcher records the restore time at the alarms' clear."
                )
            )
        self.check_access("write")
        pending = self.filtered(
            lambda t: t.fs_alarms_cleared_at and not t.restored_date
        )
        if not pending:
            raise UserError(
                self.env._(
                    "No ticket here has all its alarms cleared and no restore time yet."
                )
            )
        pending._fs_restore_at_alarm_clear()
        return True

    def action_fs_view_alarms(self):
        self.ensure_one()
        return self.fs_alarm_ids._get_records_action(name=self.env._("Alarms"))
