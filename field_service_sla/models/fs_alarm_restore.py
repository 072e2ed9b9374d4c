import logging

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


class FsAlarmIntake(models.AbstractModel):
    """The policy's restore at the alarms' clear: a sweep, once the flapping
    window has passed without a new alarm."""

    _inherit = "fs.alarm.intake"

    # ------------------------------------------------------------------
    @api.model
    def _cron_restore_cleared(self, now=None):
        """Tickets whose policy restores at the alarms' clear get their
        restore time once the flapping window has passed without a new
        alarm. A ticket that fails is logged, left to a person (one activity
        for an SLA administrator, on the ticket) and not tried again; the
        others go on."""
        now = now or fields.Datetime.now()
        window = self._flap_window()
        Ticket = self.env["helpdesk.ticket"].sudo()
        due = Ticket.search(
            [
                ("fs_alarms_cleared_at", "!=", False),
                ("fs_alarms_cleared_at", "<=", now - window),
                ("restored_date", "=", False),
                ("fs_alarm_restore_failed", "=", False),
                ("sla_policy_id.alarm_auto_restore", "=", True),
                ("stage_id.closed", "=", False),
            ]
        )
        failed = Ticket
        for ticket in due:
            try:
                with self.env.cr.savepoint():
                    ticket._fs_restore_at_alarm_clear()
            except Exception as error:
                _logger.exception(
                    "Restoring ticket %s at its alarms' clear failed", ticket.id
                )
                failed |= ticket
                ticket._fs_tell_restore_failed(error)
        if failed:
            self.env.cr.execute(
                SQL(
                    "UPDATE helpdesk_ticket SET fs_alarm_restore_failed = TRUE"
                    " WHERE id = ANY(%s)",
                    failed.ids,
                )
            )
            failed.invalidate_recordset(["fs_alarm_restore_failed"])
        return due - failed
