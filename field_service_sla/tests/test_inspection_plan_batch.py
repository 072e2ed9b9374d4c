from datetime import date, datetime

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import SlaCase


@tagged("post_install", "-at_install")
class TestInspectionPlanBatch(SlaCase):
    """A plan over thousands of sites is generated in batch: the number of
    queries does not grow with the customers (beyond the ORM's INSERTs of
    100 rows at a time), the order numbers are drawn from the fsm.order
    sequence in one query."""

    def _plan_for(self, count, code):
        tier = self.env["fs.customer.tier"].create(
            {"name": f"Batch tier {code}", "code": code}
        )
        customers = self.env["res.partner"].create(
            [
                {
                    "name": f"Batch customer {code} {n}",
                    "is_company": True,
                    "customer_segment": "enterprise",
                    "customer_tier_id": tier.id,
                }
                for n in range(count)
            ]
        )
        locations = self.env["fsm.location"].create(
            [{"name": f"Site of {c.name}", "owner_id": c.id} for c in customers]
        )
        self.env["fs.service.line"].create(
            [
                {
                    "circuit_ref": f"B-{code}-{n}-{k}",
                    "partner_id": customer.id,
                    "location_id": location.id,
                    "service_type_id": self.internet.id,
                    "assurance_level_id": self.aa.id,
                }
                for n, (customer, location) in enumerate(
                    zip(customers, locations, strict=True)
                )
                for k in range(2)
            ]
        )
        return self.env["fs.inspection.plan"].create(
            {
                "name": f"Batch plan {code}",
                "tier_id": tier.id,
                "template_id": self.env.ref(
                    "field_service_sla.inspection_template_enterprise"
                ).id,
                "interval_months": 1,
                # first due in the window: nothing overdue before it
                "anchor_date": date(2026, 11, 15),
                "horizon_days": 31,
            }
        )

    def _generate(self, plan):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        created = plan._generate(date(2026, 11, 1))
        self.env.flush_all()
        return created, self.env.cr.sql_log_count - before

    def test_queries_do_not_grow_with_the_customers(self):
        self._generate(self._plan_for(1, "B0"))  # the caches of a first run
        few, few_queries = self._generate(self._plan_for(2, "B2"))
        many, many_queries = self._generate(self._plan_for(6, "B6"))
        self.assertEqual((len(few), len(many)), (2, 6))
        # one INSERT per table whatever the sites (the orders' 100 rows at a
        # time): the same queries for 2 sites as for 6
        self.assertEqual(many_queries, few_queries)

    def test_generated_lines_are_those_of_a_created_inspection(self):
        """The lines copied in SQL are those the ORM copies on create."""
        generated, _queries = self._generate(self._plan_for(1, "B1"))
        created = self.env["fs.inspection"].create(
            {
                "template_id": generated.template_id.id,
                "location_id": generated.location_id.id,
            }
        )
        item_fields = ["sequence", "name", "group", "result", "is_finding"]
        reading_fields = [
            "sequence", "name", "unit", "has_min", "min_value", "has_max",
            "max_value", "value", "measured", "verdict", "is_finding",
        ]  # fmt: skip
        for field, names in (
            ("item_ids", item_fields),
            ("reading_ids", reading_fields),
        ):
            self.assertTrue(generated[field])
            self.assertEqual(
                generated[field].read(names, load=None),
                [
                    dict(row, id=mine)
                    for row, mine in zip(
                        created[field].read(names, load=None),
                        generated[field].ids,
                        strict=True,
                    )
                ],
            )
        self.assertEqual(
            (generated.finding_count, generated.out_of_range_count), (0, 0)
        )

    def test_order_numbers_come_from_the_sequence(self):
        created, _queries = self._generate(self._plan_for(3, "B3"))
        names = created.fsm_order_id.mapped("name")
        self.assertTrue(all(name.startswith("FO") for name in names), names)
        numbers = sorted(int(name[2:]) for name in names)
        self.assertEqual(numbers, list(range(numbers[0], numbers[0] + 3)))
        after = self.env["ir.sequence"].next_by_code("fsm.order")
        self.assertEqual(int(after[2:]), numbers[-1] + 1)
        self.assertFalse(self._generate(created.plan_id)[0])

    def test_holiday_check_in_one_search_still_refuses(self):
        """OCA's rule, checked for a batch at once: an order whose scheduled
        time covers a leave is refused, even beside one that does not."""
        location = self.env["fsm.location"].create(
            {"name": "Holiday site", "owner_id": self.customer.id}
        )
        self.env["resource.calendar.leaves"].create(
            {
                "name": "National Day",
                "date_from": datetime(2026, 10, 1, 0, 0),
                "date_to": datetime(2026, 10, 1, 23, 59),
            }
        )

        def order(day):
            return {
                "location_id": location.id,
                "scheduled_date_start": datetime(2026, 10, day, 0, 0),
                "scheduled_date_end": datetime(2026, 10, day + 1, 0, 0),
            }

        self.assertTrue(self.env["fsm.order"].create([order(8), order(9)]))
        with self.assertRaisesRegex(ValidationError, "is a holiday National Day"):
            self.env["fsm.order"].create([order(8), order(1)])

    def _row_updates(self):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT relname, n_tup_upd FROM pg_stat_xact_user_tables "
            "WHERE relname IN ('fsm_order', 'fs_inspection')"
        )
        return dict(self.env.cr.fetchall())

    def test_generated_rows_are_written_once_and_as_computed(self):
        """The stored computed fields of generated orders and inspections go
        in their INSERT: no UPDATE after it, and computing them again finds
        the same values."""
        plan = self._plan_for(3, "B7")
        before = self._row_updates()
        created, _queries = self._generate(plan)
        self.assertEqual(self._row_updates(), before)
        for records in (created, created.fsm_order_id):
            stored = [f for f in records._fields.values() if f.store and f.compute]
            values = records.read([f.name for f in stored], load=None)
            for field in stored:
                self.env.add_to_compute(field, records)
            records.flush_recordset()
            records.invalidate_recordset()
            self.assertEqual(records.read([f.name for f in stored], load=None), values)
        self.assertEqual(self._row_updates(), before)

    def test_generated_order_is_what_the_orm_would_create(self):
        """fieldservice's precomputed fields, filled for the batch: the team
        of the location or the default team, the location's directions, the
        equipment at the location when the company populates it."""
        team = self.env["fsm.team"].create({"name": "Site team"})
        plan = self._plan_for(2, "B8")
        first, second = (
            self.env["fs.service.line"]
            .search([("circuit_ref", "=like", "B-B8-%")])
            .location_id
        )
        first.write({"team_id": team.id, "direction": "<p>Gate 3, then left</p>"})
        self.env.company.auto_populate_equipments_on_order = True
        self.env["fsm.equipment"].create(
            {"name": "Router", "current_location_id": first.id}
        )
        created, _queries = self._generate(plan)
        names = ["team_id", "location_directions", "todo", "equipment_ids"]
        for location in (first, second):
            generated = created.filtered(lambda i, loc=location: i.location_id == loc)
            by_orm = self.env["fsm.order"].create({"location_id": location.id})
            self.assertEqual(
                generated.fsm_order_id.read(names, load=None)[0] | {"id": 0},
                by_orm.read(names, load=None)[0] | {"id": 0},
            )
        self.assertEqual(created.fsm_order_id.mapped("equipment_ids.name"), ["Router"])

    def test_company_check_of_a_batch_says_what_the_orm_says(self):
        """The company check of a batch of inspections (the ORM's rule, run
        per field and company) refuses a link to another company's record,
        with the ORM's message, alone or beside consistent inspections."""
        template = self.env.ref("field_service_sla.inspection_template_enterprise")
        location = self.env["fsm.location"].create(
            {"name": "Checked site", "owner_id": self.customer.id}
        )
        other_line = self._other_company_line("B-OTHER-1")

        def values(line):
            return {
                "template_id": template.id,
                "location_id": location.id,
                "service_line_id": line.id,
            }

        Inspection = self.env["fs.inspection"]
        self.assertEqual(
            len(Inspection.create([values(self.line_aaa), values(self.line_aa)])), 2
        )
        with self.assertRaises(UserError) as alone:
            Inspection.create([values(other_line)])
        with self.assertRaises(UserError) as batch:
            Inspection.create([values(self.line_aaa), values(other_line)])
        self.assertIn("company crossover", str(batch.exception))
        self.assertEqual(str(batch.exception), str(alone.exception))
