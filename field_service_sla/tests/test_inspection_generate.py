"""Issue 15, item 21: inspections can be done from the demo without an
administrator. The dispatcher's "Generate orders now" makes what is due,
today and overdue, on the operator's local date, gives each inspection the
location's usual worker and says what it made or why it made nothing; an
inspection created by hand gets its template's checklist and readings."""

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import SlaCase


@tagged("post_install", "-at_install")
class TestInspectionGenerate(SlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.template = cls.env.ref("field_service_sla.inspection_template_enterprise")
        cls.technician = new_test_user(
            cls.env,
            login="gen_technician",
            groups="field_service_sla.group_fs_technician",
            tz="Asia/Shanghai",
        )
        cls.dispatcher = new_test_user(
            cls.env,
            login="gen_dispatcher",
            groups="field_service_sla.group_fs_dispatcher",
            tz="Asia/Shanghai",
        )
        cls.company.fs_tz = "Asia/Shanghai"
        # the dispatcher dispatches for the team the orders go to
        cls.env["fsm.order"]._default_team_id().dispatcher_ids |= cls.dispatcher
        cls.tier = cls.env["fs.customer.tier"].create(
            {"name": "Generate tier", "code": "GEN"}
        )
        cls.customer_gen = cls.env["res.partner"].create(
            {
                "name": "Generate water group",
                "is_company": True,
                "customer_segment": "enterprise",
                "customer_tier_id": cls.tier.id,
            }
        )
        cls.site_served, cls.site_unserved = cls.env["fsm.location"].create(
            [
                {"name": "Served room", "owner_id": cls.customer_gen.id},
                {"name": "Unserved room", "owner_id": cls.customer_gen.id},
            ]
        )
        cls.worker = cls.env["fsm.person"].create(
            {"partner_id": cls.technician.partner_id.id}
        )
        cls.env["fsm.location.person"].create(
            {"location_id": cls.site_served.id, "person_id": cls.worker.id}
        )
        cls.env["fs.service.line"].create(
            [
                {
                    "circuit_ref": f"GEN-{n}",
                    "partner_id": cls.customer_gen.id,
                    "location_id": site.id,
                    "service_type_id": cls.internet.id,
                    "assurance_level_id": cls.aa.id,
                }
                for n, site in enumerate(cls.site_served | cls.site_unserved)
            ]
        )

    def _plan(self, **values):
        return self.env["fs.inspection.plan"].create(
            {
                "name": "Generate quarterly",
                "tier_id": self.tier.id,
                "template_id": self.template.id,
                "interval_months": 3,
                "anchor_date": date(2026, 9, 7),
                **values,
            }
        )

    def _generate_as_dispatcher(self, plan):
        form = Form(plan.with_user(self.dispatcher))  # the plan's form
        return form.record.action_generate()

    def test_due_yesterday_is_generated_as_overdue_and_assigned(self):
        plan = self._plan(anchor_date=date(2026, 9, 6))
        # 09:00 on 7 December in Shanghai: the quarter's date was yesterday
        with freeze_time("2026-12-07 01:00:00"):
            result = self._generate_as_dispatcher(plan)
        created = plan.inspection_ids
        self.assertEqual(set(created.mapped("planned_date")), {date(2026, 12, 6)})
        self.assertEqual(created.location_id, self.site_served | self.site_unserved)
        served = created.filtered(lambda i: i.location_id == self.site_served)
        self.assertEqual(served.user_id, self.technician)
        self.assertFalse((created - served).user_id)
        self.assertTrue(all(created.mapped("item_ids")))
        self.assertEqual(result["params"]["type"], "warning")
        message = result["params"]["message"]
        self.assertIn("2 inspection orders generated", message)
        self.assertIn("2 of them are overdue", message)
        self.assertIn("1 have no technician", message)
        # the order starts at 09:00 in the operator's time zone
        self.assertEqual(
            served.fsm_order_id.scheduled_date_start.strftime("%Y-%m-%d %H:%M"),
            "2026-12-06 01:00",
        )
        # the technician finds it, with its checklist, and can start it
        with freeze_time("2026-12-07 01:30:00"):
            form = Form(served.with_user(self.technician))
            self.assertEqual(len(form.item_ids), len(self.template.item_ids))
            form.record.action_start()
        self.assertTrue(served.date_start)
        # again: nothing, and it says why
        with freeze_time("2026-12-07 02:00:00"):
            again = self._generate_as_dispatcher(plan)
        self.assertEqual(plan.inspection_ids, created)
        self.assertEqual(again["params"]["type"], "warning")
        self.assertRegex(
            again["params"]["message"],
            r"nothing is due: .* up to 2027-01-06 is already generated\. The "
            r"next plan date after that is 2027-03-06",
        )

    def test_local_today_not_utc(self):
        """16:30 UTC on 6 December is 00:30 on the 7th in Shanghai: the plan
        date of the 7th is due today there, and generated one day ahead."""
        plan = self._plan(horizon_days=1)
        with freeze_time("2026-12-06 16:30:00"):
            # the cron's user (OdooBot) and the server are in UTC
            self.env["fs.inspection.plan"].with_context(tz="UTC")._cron_generate()
        self.assertEqual(
            set(plan.inspection_ids.mapped("planned_date")), {date(2026, 12, 7)}
        )

    def test_nothing_to_generate_says_why(self):
        empty_tier = self.env["fs.customer.tier"].create(
            {"name": "Empty tier", "code": "EMPTY"}
        )
        plan = self._plan(tier_id=empty_tier.id)
        result = self._generate_as_dispatcher(plan)
        self.assertEqual(result["params"]["type"], "warning")
        self.assertIn("no customer of the tier Empty tier", result["params"]["message"])
        later = self._plan(anchor_date=date(2027, 6, 1))
        with freeze_time("2026-12-07 01:00:00"):
            result = self._generate_as_dispatcher(later)
        self.assertIn("first inspection is on 2027-06-01", result["params"]["message"])
        later.active = False
        with self.assertRefused(UserError, "is archived"):
            later.with_user(self.dispatcher).action_generate()

    def test_only_dispatchers_generate(self):
        plan = self._plan()
        with self.assertRaises(AccessError):
            plan.with_user(self.technician).action_generate()
        self.assertFalse(plan.inspection_ids)

    def test_inspection_created_by_hand_gets_its_template(self):
        line = self.customer_gen.service_line_ids.filtered(
            lambda l: l.location_id == self.site_served
        )
        for user in (self.technician, self.dispatcher):
            with self.subTest(user=user.login):
                form = Form(self.env["fs.inspection"].with_user(user))
                form.service_line_id = line
                self.assertEqual(form.location_id, self.site_served)
                form.template_id = self.template
                inspection = form.save()
                self.assertEqual(
                    inspection.item_ids.mapped("name"),
                    self.template.item_ids.mapped("name"),
                )
                self.assertEqual(
                    inspection.reading_ids.mapped("name"),
                    self.template.reading_ids.mapped("name"),
                )
                self.assertEqual(inspection.user_id, user)
                # the lines the form shows after the save are the template's
                self.assertEqual(
                    len(Form(inspection).reading_ids), len(self.template.reading_ids)
                )

    def test_territory_primary_worker_serves_a_location_without_workers(self):
        other = new_test_user(
            self.env,
            login="gen_territory_tech",
            groups="field_service_sla.group_fs_technician",
        )
        territory = self.env["res.territory"].create(
            {
                "name": "Yuzhong",
                "person_id": self.env["fsm.person"]
                .create({"partner_id": other.partner_id.id})
                .id,
            }
        )
        # the served site's own worker goes first, even in the territory
        (self.site_served | self.site_unserved).territory_id = territory
        plan = self._plan()
        with freeze_time("2026-12-07 01:00:00"):
            result = self._generate_as_dispatcher(plan)
        by_site = {i.location_id: i.user_id for i in plan.inspection_ids}
        self.assertEqual(by_site[self.site_served], self.technician)
        self.assertEqual(by_site[self.site_unserved], other)
        self.assertEqual(result["params"]["type"], "success")
