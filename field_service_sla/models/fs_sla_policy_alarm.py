from odoo import fields, models


class FsSlaPolicy(models.Model):
    _inherit = "fs.sla.policy"

    alarm_auto_restore = fields.Boolean(
        string="Restored at the alarms' clear",
        help="A ticket opened or joined by monitoring alarms takes its service "
        "restore time from the moment its last alarm cleared, once the flapping "
        "window has passed without a new alarm. Otherwise a dispatcher confirms "
        "it with one click.",
    )
