from odoo import api, models
from odoo.tools import SQL


class FsAlarmIntake(models.AbstractModel):
    """What the demo data calls to deliver its alarms through the intake, as
    a monitoring system would (demo/fs_alarm_demo.xml)."""

    _inherit = "fs.alarm.intake"

    @api.model
    def _demo_deliver(self, source_id, payload, line_ids=(), days=30):
        """Deliver ``payload`` from the source ``source_id``. The lines
        ``line_ids`` are made ``days`` old first: the demo's alarms were
        raised hours ago, and the intake refuses an alarm raised before its
        line existed."""
        if line_ids:
            self.env["fs.service.line"].flush_model()
            self.env.cr.execute(
                SQL(
                    "UPDATE fs_service_line SET create_date = create_date - %s::interval"
                    " WHERE id = ANY(%s)",
                    f"{int(days)} days",
                    list(line_ids),
                )
            )
            self.env["fs.service.line"].invalidate_model(["create_date"])
        source = self.env["fs.alarm.source"].sudo().browse(source_id)
        return self.sudo()._ingest(source, payload)
