from odoo import fields, models


class SmsTracker(models.Model):
    """The tracker of an escalation bulletin's SMS: its delivery reports, by
    whatever path they come (the gateway's answer, its receipts, Odoo's
    /sms/status), move the bulletin's state as they move a notification's."""

    _inherit = "sms.tracker"

    fs_escalation_sms_id = fields.Many2one(
        "fs.escalation.sms",
        string="Escalation bulletin",
        index="btree_not_null",
        ondelete="cascade",
    )

    def _update_sms_notifications(
        self, notification_status, failure_type=False, failure_reason=False
    ):
        result = super()._update_sms_notifications(
            notification_status,
            failure_type=failure_type,
            failure_reason=failure_reason,
        )
        self.env["fs.escalation.sms"]._follow_trackers(
            self.ids, notification_status, failure_type, failure_reason
        )
        return result
