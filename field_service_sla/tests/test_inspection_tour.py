from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestInspectionTour(HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_technician_records_an_inspection_on_a_phone(self):
        technician = new_test_user(
            self.env,
            login="tour_inspector",
            groups="field_service_sla.group_fs_technician",
        )
        customer = self.env["res.partner"].create(
            {
                "name": "Tour water group",
                "is_company": True,
                "customer_segment": "enterprise",
            }
        )
        location = self.env["fsm.location"].create(
            {"name": "Tour machine room", "owner_id": customer.id}
        )
        line = self.env["fs.service.line"].create(
            {
                "circuit_ref": "TOUR-INSP-1",
                "partner_id": customer.id,
                "location_id": location.id,
                "service_type_id": self.env.ref(
                    "field_service_sla.service_type_internet_line"
                ).id,
                "assurance_level_id": self.env.ref("field_service_sla.level_aaa").id,
            }
        )
        template = self.env["fs.inspection.template"].create(
            {
                "name": "Tour room check",
                "item_ids": [(0, 0, {"name": "Labels complete"})],
                "reading_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Temperature",
                            "unit": "celsius",
                            "has_min": True,
                            "min_value": 10,
                            "has_max": True,
                            "max_value": 30,
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "name": "Grounding resistance",
                            "unit": "ohm",
                            "has_max": True,
                            "max_value": 4,
                        },
                    ),
                ],
            }
        )
        inspection = self.env["fs.inspection"].create(
            {
                "template_id": template.id,
                "location_id": location.id,
                "service_line_id": line.id,
                "user_id": technician.id,
            }
        )
        self.start_tour(
            f"/odoo/action-field_service_sla.fs_inspection_action/{inspection.id}",
            "field_service_sla_inspection_phone_tour",
            login="tour_inspector",
        )
        self.assertEqual(inspection.state, "done")
        self.assertTrue(inspection.date_start)
        fixed = inspection.finding_ids.filtered("fixed_on_site")
        self.assertEqual(fixed.name, "Temperature")
        followed = inspection.finding_ids - fixed
        self.assertEqual(followed.ticket_id.service_line_id, line)
