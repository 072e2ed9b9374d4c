from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestVisitInspections(TransactionCase):
    """The visit's preparation pack carries the customer's inspection records."""

    def test_pack_lists_the_customers_inspections_of_the_year(self):
        inspection = self.env.ref("field_service_sla.demo_inspection_water_hq")
        water = self.env.ref("field_service_sla.demo_visit_water_done")
        logistics = self.env.ref("field_service_sla.demo_visit_logistics_planned")
        self.assertEqual(water.partner_id, inspection.partner_id)
        self.assertIn(inspection, water.inspection_ids)
        self.assertNotIn(inspection, logistics.inspection_ids)
        inspection.planned_date = "2020-01-01"
        water.invalidate_recordset(["inspection_ids"])
        self.assertNotIn(inspection, water.inspection_ids)
