from datetime import date
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import SlaCase

QUIET = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
}


@tagged("post_install", "-at_install")
class TestInspectionInsert(SlaCase):
    """A plan's inspections are inserted in one INSERT of arrays
    (fs.inspection._insert_rows), not by create(): the rows are those
    create() makes, with the access rights, record rules and company check
    of create()."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.template = cls.env.ref("field_service_sla.inspection_template_enterprise")
        cls.plan = cls.env["fs.inspection.plan"].create(
            {
                "name": "Insert plan",
                "tier_id": cls.diamond.id,
                "template_id": cls.template.id,
                "interval_months": 1,
            }
        )
        cls.technician = new_test_user(
            cls.env,
            login="insert_technician",
            groups="field_service_sla.group_fs_technician",
        )
        cls.employee = new_test_user(
            cls.env, login="insert_employee", groups="base.group_user"
        )

    def _values(self, count, line=None):
        """What a plan's run gives for ``count`` sites of our customer."""
        Inspection = self.env["fs.inspection"]
        values = []
        for n in range(count):
            location = self.env["fsm.location"].create(
                {"name": f"Insert site {n}", "owner_id": self.customer.id}
            )
            site_line = line or self.env["fs.service.line"].create(
                {
                    "circuit_ref": f"INS-{n}",
                    "partner_id": self.customer.id,
                    "location_id": location.id,
                    "service_type_id": self.internet.id,
                    "assurance_level_id": self.aa.id,
                }
            )
            order = self.env["fsm.order"].create({"location_id": location.id})
            values.append(
                {
                    "plan_id": self.plan.id,
                    "template_id": self.template.id,
                    "location_id": location.id,
                    "service_line_id": site_line.id,
                    "partner_id": site_line.partner_id.id,
                    "customer_tier_id": site_line.partner_id.customer_tier_id.id,
                    "planned_date": date(2026, 11, 3 + n),
                    "company_id": self.env.company.id,
                    "user_id": False,
                    "fsm_order_id": order.id,
                    "item_ids": [],
                    "reading_ids": [],
                }
            )
        computed = Inspection._new_computed_values(values)
        self.assertTrue(computed)
        return values, computed

    def _count(self, values):
        return self.env["fs.inspection"].search_count(
            [("location_id", "in", [v["location_id"] for v in values])]
        )

    def test_inserted_rows_are_those_create_makes(self):
        """Every stored field, computed ones included, and the log columns:
        equal to what create() writes for the same values (where the ORM
        computes again the computed values it was given)."""
        values, computed = self._values(3)
        Inspection = self.env["fs.inspection"].with_context(**QUIET)
        by_orm = Inspection.create([dict(v) for v in values])
        orders = by_orm.fsm_order_id
        self.assertEqual(orders.inspection_ids, by_orm)  # in cache
        with patch.object(
            type(Inspection), "create", side_effect=AssertionError("create()")
        ):  # its own INSERT, not create()
            inserted = Inspection._insert_rows([dict(v) for v in values])
        # the linked records' one2many see them at once
        self.assertEqual(orders.inspection_ids, by_orm | inserted)
        self.assertEqual(self.plan.inspection_ids, by_orm | inserted)
        for name in computed:  # kept, as _generate does
            self.env.remove_to_compute(inserted._fields[name], inserted)
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(len(inserted), 3)
        self.assertEqual(inserted.ids, sorted(inserted.ids))
        # the lines: create() copies the template's, _generate copies them
        # after the INSERT, by the same method
        self.assertEqual(
            [len(i.item_ids) for i in by_orm], [len(self.template.item_ids)] * 3
        )
        inserted._copy_template_lines()
        for lines in ("item_ids", "reading_ids"):
            self.assertEqual(
                [i[lines].read(["name", "sequence"], load=None) for i in inserted],
                [
                    [dict(row, id=mine) for row, mine in zip(
                        i[lines].read(["name", "sequence"], load=None),
                        j[lines].ids,
                        strict=True,
                    )]
                    for i, j in zip(by_orm, inserted, strict=True)
                ],
            )  # fmt: skip
        names = [
            name
            for name, field in Inspection._fields.items()
            if field.store and field.type != "one2many"
        ]
        names.remove("id")
        self.assertEqual(
            inserted.read(names, load=None),
            [dict(row, id=mine) for row, mine in zip(
                by_orm.read(names, load=None), inserted.ids, strict=True
            )],
        )  # fmt: skip
        self.assertEqual(inserted.mapped("state"), ["draft"] * 3)
        self.assertFalse(inserted.message_ids or inserted.message_follower_ids)

    def test_access_rights_and_record_rules_apply(self):
        """No create right: refused before anything is written. A technician
        may only create the inspections they perform (record rule): a plan's
        unassigned ones are refused and nothing stays."""
        values, _computed = self._values(2)
        Inspection = self.env["fs.inspection"].with_context(**QUIET)
        with self.assertRaises(AccessError):
            Inspection.with_user(self.employee)._insert_rows(values)
        with self.assertRaises(AccessError):
            Inspection.with_user(self.technician)._insert_rows(
                [dict(v) for v in values]
            )
        self.assertEqual(self._count(values), 0)
        mine = Inspection.with_user(self.technician)._insert_rows(
            [dict(v, user_id=self.technician.id) for v in values]
        )
        self.assertEqual(mine.user_id, self.technician)
        self.assertEqual(self._count(values), 2)

    def test_company_check_applies(self):
        """A service line of another company is refused as create() refuses
        it, and nothing stays."""
        other = self._other_company_line("INS-OTHER")
        values, _computed = self._values(2, line=other)
        Inspection = self.env["fs.inspection"].with_context(**QUIET)
        with self.assertRaises(UserError) as inserted:
            Inspection._insert_rows([dict(v) for v in values])
        with self.assertRaises(UserError) as created:
            Inspection.create([dict(v) for v in values])
        self.assertEqual(str(inserted.exception), str(created.exception))
        self.assertEqual(self._count(values), 0)

    def test_what_it_does_not_handle_goes_through_create(self):
        """Line commands or different fields per row: create() itself, which
        copies the template's lines to each (the INSERT copies none)."""
        values, _computed = self._values(2)
        del values[1]["item_ids"], values[1]["reading_ids"]
        created = self.env["fs.inspection"].with_context(**QUIET)._insert_rows(values)
        for inspection in created:
            self.assertEqual(len(inspection.item_ids), len(self.template.item_ids))
            self.assertEqual(
                len(inspection.reading_ids), len(self.template.reading_ids)
            )
        # copying again (as _generate does after its INSERT) adds nothing
        created._copy_template_lines()
        created.invalidate_recordset()
        self.assertEqual(len(created.item_ids), 2 * len(self.template.item_ids))
