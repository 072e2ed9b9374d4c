from odoo import api, fields, models

from ..reports_core.monthly import Month


class FsOperationReport(models.Model):
    """What the demo data calls (demo/month_end_demo.xml): last month's
    network operation reports, one drafted for Water Group (its faults of
    the month, remarks begun), one released to Liangping Logistics. Once: an
    upgrade finds them and does nothing."""

    _inherit = "fs.operation.report"

    @api.model
    def _fs_demo_reports(self, draft_partner_id, released_partner_id):
        first = Month.of(fields.Date.context_today(self)).previous().first_day
        if self.search_count([("date_from", "=", first)]):
            return
        draft, released = self.create(
            [
                {
                    "partner_id": draft_partner_id,
                    "period_kind": "month",
                    "date_from": first,
                    "remarks": "本月专线故障三次，其中一次原因查明较慢，"
                    "已督促代维单位整改。",
                },
                {
                    "partner_id": released_partner_id,
                    "period_kind": "month",
                    "date_from": first,
                    "remarks": "本月网络运行平稳，无故障。",
                    "recommendations": "建议为语音专线增加备份路由。",
                },
            ]
        )
        draft.action_refresh()
        released.action_refresh()
        released.action_release()
