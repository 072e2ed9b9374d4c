from datetime import timedelta

from odoo import api, fields, models

# a clear whose raise has not come in this long is not waiting for anything
PENDING_DAYS = 30


class FsAlarmClear(models.Model):
    """A clear that came before its raise: kept until the raise comes, then
    applied and removed. Delivered again, it is the same row."""

    _name = "fs.alarm.clear"
    _description = "Pending alarm clear"
    _order = "cleared_at desc, id desc"
    _check_company_auto = True

    source_id = fields.Many2one(
        "fs.alarm.source", required=True, readonly=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True
    )
    alarm_ref = fields.Char(string="Alarm ID", readonly=True)
    clear_key = fields.Char(readonly=True)
    cleared_at = fields.Datetime(string="Cleared at", required=True, readonly=True)
    payload = fields.Json(readonly=True)

    _source_ref_time_uniq = models.UniqueIndex(
        "(source_id, COALESCE(alarm_ref, ''), COALESCE(clear_key, ''), cleared_at)",
        "This clear is already kept.",
    )

    @api.autovacuum
    def _gc_pending_clears(self):
        """Clears kept more than PENDING_DAYS for a raise that never came."""
        self.search(
            [("cleared_at", "<", fields.Datetime.now() - timedelta(days=PENDING_DAYS))]
        ).unlink()
