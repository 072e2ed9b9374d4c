from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import SlaCase


@tagged("post_install", "-at_install")
class TestInspection(SlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.template = cls.env.ref("field_service_sla.inspection_template_enterprise")
        cls.location = cls.env["fsm.location"].create(
            {"name": "Water Group HQ room", "owner_id": cls.customer.id}
        )
        cls.line_aaa.location_id = cls.location
        cls.technician = new_test_user(
            cls.env,
            login="insp_technician",
            groups="field_service_sla.group_fs_technician",
        )
        cls.other_technician = new_test_user(
            cls.env,
            login="insp_other",
            groups="field_service_sla.group_fs_technician",
        )
        cls.dispatcher = new_test_user(
            cls.env,
            login="insp_dispatcher",
            groups="field_service_sla.group_fs_dispatcher",
        )

    def _inspection(self, user=None):
        return (
            self.env["fs.inspection"]
            .with_user(user or self.technician)
            .create(
                {
                    "template_id": self.template.id,
                    "location_id": self.location.id,
                    "service_line_id": self.line_aaa.id,
                }
            )
        )

    def _fill(self, inspection, values, failed=()):
        for reading in inspection.reading_ids:
            reading.value = values.get(reading.name, reading.min_value or 0.0)
        for item in inspection.item_ids:
            item.result = "fail" if item.name in failed else "pass"

    def test_template_is_copied(self):
        inspection = self._inspection()
        self.assertEqual(
            inspection.reading_ids.mapped("name"),
            self.template.reading_ids.mapped("name"),
        )
        self.assertEqual(len(inspection.item_ids), len(self.template.item_ids))
        voltage = inspection.reading_ids.filtered(lambda r: r.unit == "volt")[0]
        self.assertEqual((voltage.min_value, voltage.max_value), (198, 242))
        self.assertEqual(voltage.verdict, "pending")

    def test_enterprise_inspection_with_two_readings_out_of_range(self):
        """One out-of-range reading fixed on site, the other raises a follow-up
        ticket on the service line whose SLA clocks start; confirming twice
        creates nothing twice."""
        inspection = self._inspection()
        with freeze_time("2026-11-02 02:00:00"):
            inspection.action_start()
        self._fill(
            inspection,
            {
                "Supply voltage": 221,
                "Temperature": 34.5,
                "Humidity": 55,
                "Grounding voltage": 0.4,
                "Grounding resistance": 6.2,
                "Access line: optical receive power": -12,
            },
        )
        readings = {r.name: r for r in inspection.reading_ids}
        self.assertEqual(readings["Temperature"].verdict, "high")
        self.assertEqual(readings["Grounding resistance"].verdict, "high")
        self.assertEqual(readings["Grounding voltage"].verdict, "ok")
        self.assertEqual(inspection.out_of_range_count, 2)
        readings["Temperature"].write(
            {"fixed_on_site": True, "fix_note": "Air conditioning restarted"}
        )
        with freeze_time("2026-11-02 03:10:00"):
            inspection.action_done()
        self.assertEqual(inspection.state, "done")
        self.assertEqual(len(inspection.finding_ids), 2)
        fixed = inspection.finding_ids.filtered("fixed_on_site")
        follow = inspection.finding_ids - fixed
        self.assertEqual(fixed.name, "Temperature")
        self.assertFalse(fixed.ticket_id)
        self.assertEqual(follow.name, "Grounding resistance")
        ticket = follow.ticket_id
        self.assertTrue(ticket)
        self.assertEqual(ticket.service_line_id, self.line_aaa)
        self.assertEqual(ticket.partner_id, self.customer)
        self.assertIn("6.2", ticket.description)
        self.assertTrue(ticket.sla_policy_id)
        self.assertIn("running", ticket.sla_clock_ids.mapped("state"))
        inspection.action_done()
        inspection.with_user(self.dispatcher).action_done()
        self.assertEqual(len(inspection.finding_ids), 2)
        self.assertEqual(
            self.env["helpdesk.ticket"].search_count(
                [("service_line_id", "=", self.line_aaa.id)]
            ),
            1,
        )

    def test_failed_check_is_a_finding(self):
        inspection = self._inspection()
        self._fill(inspection, {"Temperature": 20}, failed={"Room free of rodents"})
        inspection.action_done()
        self.assertEqual(inspection.finding_ids.kind, "item")
        self.assertTrue(inspection.finding_ids.ticket_id)

    def test_reading_outside_the_physical_range_is_refused(self):
        inspection = self._inspection()
        readings = {r.name: r for r in inspection.reading_ids}
        with self.assertRefused(ValidationError, "not a possible value"):
            readings["Grounding resistance"].value = -0.5
        with self.assertRefused(ValidationError, "not a possible value"):
            readings["Humidity"].write({"value": 104})
        self.assertFalse(readings["Humidity"].measured)
        self.assertEqual(readings["Humidity"].verdict, "pending")

    def test_template_reading_with_min_above_max_is_refused(self):
        with self.assertRefused(ValidationError, "minimum 242.0 is above the maximum"):
            self.env["fs.inspection.template.reading"].create(
                {
                    "template_id": self.template.id,
                    "name": "Supply voltage (typo)",
                    "unit": "volt",
                    "has_min": True,
                    "min_value": 242,
                    "has_max": True,
                    "max_value": 198,
                }
            )
        with self.assertRefused(ValidationError, "not a possible value"):
            self.env["fs.inspection.template.reading"].create(
                {
                    "template_id": self.template.id,
                    "name": "Humidity",
                    "unit": "percent_rh",
                    "has_max": True,
                    "max_value": 120,
                }
            )

    def test_confirming_needs_every_reading_and_check(self):
        inspection = self._inspection()
        with self.assertRefused(UserError, "Record every check and reading"):
            inspection.action_done()
        self.assertFalse(inspection.finding_ids)
        self.assertEqual(inspection.state, "draft")

    def test_unfixed_finding_without_service_line_is_refused(self):
        inspection = self._inspection()
        inspection.service_line_id = False
        self._fill(inspection, {"Temperature": 40})
        with self.assertRefused(UserError, "Set the service line"):
            inspection.action_done()
        self.assertFalse(inspection.finding_ids)
        self.assertFalse(
            self.env["helpdesk.ticket"].search(
                [("service_line_id", "=", self.line_aaa.id)]
            )
        )

    def test_home_routine_test_over_30_minutes_is_flagged(self):
        home = self.env.ref("field_service_sla.inspection_template_home")
        inspection = self.env["fs.inspection"].create(
            {
                "template_id": home.id,
                "location_id": self.location.id,
                "date_start": datetime(2026, 11, 2, 1, 0),
                "date_end": datetime(2026, 11, 2, 1, 25),
            }
        )
        self.assertFalse(inspection.too_long)
        inspection.date_end = datetime(2026, 11, 2, 1, 45)
        self.assertTrue(inspection.too_long)

    def test_technician_sees_only_own_inspections(self):
        mine = self._inspection()
        theirs = self._inspection(self.other_technician)
        person = self.env["fsm.person"].create(
            {"name": "Tech", "partner_id": self.technician.partner_id.id}
        )
        order = self.env["fsm.order"].create(
            {"location_id": self.location.id, "person_id": person.id}
        )
        assigned = self._inspection(self.other_technician)
        assigned.fsm_order_id = order
        Inspection = self.env["fs.inspection"].with_user(self.technician)
        visible = Inspection.search([("id", "in", (mine | theirs | assigned).ids)])
        self.assertEqual(visible, mine | assigned)
        with self.assertRaises(AccessError):
            theirs.with_user(self.technician).note = "not mine"
        with self.assertRaises(AccessError):
            theirs.reading_ids[0].with_user(self.technician).value = 220
        order.team_id.dispatcher_ids |= self.dispatcher  # their team's
        all_seen = (
            self.env["fs.inspection"]
            .with_user(self.dispatcher)
            .search([("id", "in", (mine | theirs | assigned).ids)])
        )
        self.assertEqual(all_seen, mine | theirs | assigned)

    def test_service_line_offers_its_template(self):
        form = Form(self.env["fs.inspection"])
        form.service_line_id = self.line_aaa
        self.assertEqual(form.location_id, self.location)
        self.assertEqual(form.template_id, self.template)

    def test_portal_user_sees_nothing(self):
        portal = new_test_user(
            self.env, login="insp_portal", groups="base.group_portal"
        )
        self._inspection()
        with self.assertRaises(AccessError):
            self.env["fs.inspection"].with_user(portal).search([])


@tagged("post_install", "-at_install")
class TestInspectionPlan(SlaCase):
    def test_plan_generates_orders_once(self):
        location = self.env["fsm.location"].create(
            {"name": "Water Group HQ room", "owner_id": self.customer.id}
        )
        self.line_aaa.location_id = location
        self.line_aa.location_id = location
        plan = self.env["fs.inspection.plan"].create(
            {
                "name": "Diamond monthly",
                "tier_id": self.diamond.id,
                "template_id": self.env.ref(
                    "field_service_sla.inspection_template_enterprise"
                ).id,
                "interval_months": 1,
                "anchor_date": date(2026, 1, 15),
                "horizon_days": 61,
            }
        )
        created = plan._generate(date(2026, 11, 1))
        mine = created.filtered(lambda i: i.location_id == location)
        # 15 October had no order: overdue, it is made up for (the months
        # before it are not)
        self.assertEqual(
            sorted(mine.mapped("planned_date")),
            [date(2026, 10, 15), date(2026, 11, 15), date(2026, 12, 15)],
        )
        self.assertTrue(all(mine.mapped("fsm_order_id")))
        self.assertEqual(mine.fsm_order_id.location_id, location)
        self.assertEqual(mine.service_line_id, self.line_aaa)
        self.assertTrue(mine.reading_ids)
        self.assertFalse(plan._generate(date(2026, 11, 1)))
        self.assertFalse(
            plan._generate(date(2026, 11, 20)).filtered(
                lambda i: i.location_id == location and i.planned_date.month == 12
            )
        )

    def test_plan_cadence_must_be_positive(self):
        with self.assertRefused(ValidationError, "every 1 month or more"):
            self.env["fs.inspection.plan"].create(
                {
                    "name": "Broken",
                    "tier_id": self.diamond.id,
                    "template_id": self.env.ref(
                        "field_service_sla.inspection_template_enterprise"
                    ).id,
                    "interval_months": 0,
                }
            )
