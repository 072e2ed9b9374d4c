from datetime import timedelta

from odoo import api, fields, models

from ..reports_core.monthly import Month


class FsAssessmentSheet(models.Model):
    """What the demo data calls (demo/month_end_demo.xml): last month's
    faults of the contractor crew, scored, sent and contested. Once: an
    upgrade finds the month's sheet and does nothing."""

    _inherit = "fs.assessment.sheet"

    @api.model
    def _fs_demo_month(self, team_id, line_id, contractor_user_id):
        team = self.env["fsm.team"].browse(team_id)
        month = Month.of(fields.Date.context_today(self)).previous()
        if self.search_count(
            [("team_id", "=", team.id), ("month", "=", month.first_day)]
        ):
            return
        line = self.env["fs.service.line"].browse(line_id)
        Ticket = self.env["helpdesk.ticket"].with_context(
            tracking_disable=True, mail_create_nolog=True, mail_notrack=True
        )
        start = fields.Datetime.to_datetime(month.first_day)

        def at(day, hour, minute=0):
            # Shanghai wall-clock time of the month, as the naive UTC stored
            return start + timedelta(days=day - 1, hours=hour - 8, minutes=minute)

        def order(ticket):
            return self.env["fsm.order"].create(
                {
                    "team_id": team.id,
                    "ticket_id": ticket.id,
                    "location_id": line.location_id.id,
                    "description": ticket.name,
                }
            )

        late = Ticket.create(
            {
                "name": "专线中断：机房光模块告警",
                "description": "客户报障：互联网专线中断",
                "service_line_id": line.id,
                "partner_id": line.partner_id.id,
                "reported_date": at(8, 10),
            }
        )
        late_order = order(late)
        late.write(
            {
                "first_contact_date": at(8, 10, 10),
                "on_site_date": at(8, 11, 5),
                "diagnosis_date": at(8, 11, 30),
                "restored_date": at(8, 12, 30),
            }
        )
        slow = Ticket.create(
            {
                "name": "专线丢包：原因待查",
                "description": "客户反映高峰期丢包",
                "service_line_id": line.id,
                "partner_id": line.partner_id.id,
                "reported_date": at(15, 9),
            }
        )
        slow_order = order(slow)
        slow.write(
            {
                "first_contact_date": at(15, 9, 5),
                "on_site_date": at(15, 9, 25),
                "diagnosis_date": at(17, 16),
                "restored_date": at(17, 18),
            }
        )
        Ticket.create(
            {
                "name": "投诉：施工后机房未清理",
                "description": "维修后机房内留下线缆和包装",
                # a complaint about the work, not a fault of the line: no
                # service line, so that it is no outage
                "partner_id": line.partner_id.id,
                "reported_date": at(9, 14),
                "fs_complaint_order_id": late_order.id,
            }
        )
        scheme = self.env.ref("field_service_reports.fs_assessment_scheme_default")
        sheet = self._fs_sheets_for(month.first_day, scheme, team)
        dispatcher = self.env.ref(
            "field_service_sla.demo_user_dispatcher", raise_if_not_found=False
        )
        if dispatcher:
            sheet.user_id = dispatcher
        promise = scheme.item_ids.filtered(lambda item: item.source == "manual")
        self.env["fs.assessment.line"].create(
            {
                "sheet_id": sheet.id,
                "item_id": promise.sorted("sequence")[-1].id,
                "order_id": slow_order.id,
                "date": at(15, 9, 25),
                "name": "承诺携带备用路由器到场，未携带",
            }
        )
        sheet.action_send()
        complaint = sheet.line_ids.filtered(
            lambda line: line.item_id.source == "complaint"
        )
        contractor = self.env["res.users"].browse(contractor_user_id)
        complaint[:1]._fs_contest(
            "机房清理由客户物业负责，我方已按规范收尾。", contractor.partner_id
        )
