from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import SlaCase, sh


@tagged("post_install", "-at_install")
class TestSlaValidation(SlaCase):
    def _milestone(self, **values):
        return self.env["fs.sla.milestone"].create(
            {
                "policy_id": self.policy_aaa.id,
                "kind": "on_site",
                "target_hours": 1,
                **values,
            }
        )

    def test_zero_or_negative_target_is_refused(self):
        for target in (0, -1):
            with self.assertRefused(ValidationError, "positive"):
                self._milestone(target_hours=target)
        self.assertFalse(
            self.policy_aaa.milestone_ids.filtered(lambda m: m.kind == "on_site")
        )

    def test_calendar_without_working_time_is_refused(self):
        empty = self.env["resource.calendar"].create(
            {"name": "Never", "attendance_ids": [(5, 0, 0)], "tz": "Asia/Shanghai"}
        )
        with self.assertRefused(ValidationError, "no working time"):
            self._milestone(calendar_id=empty.id)

    def test_milestone_reached_before_its_start_is_refused(self):
        ticket = self._ticket(sh(2026, 3, 2, 10, 0))
        with (
            freeze_time(sh(2026, 3, 2, 10, 5)),
            self.assertRefused(ValidationError, "before its clock started"),
        ):
            ticket.first_contact_date = sh(2026, 3, 2, 9, 0)
        ticket.invalidate_recordset()
        self.assertFalse(ticket.first_contact_date)
        self.assertEqual(self.clock(ticket, "contact").state, "running")

    def test_service_line_of_another_company_is_refused(self):
        line = self._other_company_line("X-1")
        with self.assertRefused(ValidationError, "belongs to"):
            self.env["helpdesk.ticket"].create(
                {"name": "x", "description": "x", "service_line_id": line.id}
            )
        self.assertFalse(
            self.env["helpdesk.ticket"].search([("service_line_id", "=", line.id)])
        )

    def test_policy_referencing_an_archived_tier_is_refused(self):
        silver = self.env.ref("field_service_sla.tier_silver")
        silver.active = False
        with self.assertRefused(ValidationError, "archived"):
            self.policy_aaa.tier_ids = silver
        self.assertFalse(self.policy_aaa.tier_ids)

    def test_archiving_a_tier_used_by_a_policy_is_refused(self):
        self.policy_aaa.tier_ids = self.gold
        with self.assertRefused(ValidationError, "condition"):
            self.gold.active = False
        self.assertTrue(self.gold.active)

    def test_two_milestones_of_one_kind_are_refused(self):
        with self.assertRefused(ValidationError, "same kind"):
            self._milestone(kind="contact")

    def test_pause_ending_before_it_starts_is_refused(self):
        ticket = self._ticket(sh(2026, 3, 2, 10, 0))
        with self.assertRefused(ValidationError, "end before"):
            self.env["fs.sla.pause"].create(
                {
                    "ticket_id": ticket.id,
                    "reason_id": self.wait_customer.id,
                    "start_date": sh(2026, 3, 2, 11, 0),
                    "end_date": sh(2026, 3, 2, 10, 0),
                }
            )
