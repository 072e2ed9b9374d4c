from odoo.tests import HttpCase, new_test_user, tagged


class TourTickets:
    """A technician and a ticket of theirs on an AAA line, for the tours."""

    def _tour_ticket(self, technician):
        line = self.env["fs.service.line"].create(
            {
                "circuit_ref": "TOUR-1",
                "partner_id": self.env["res.partner"]
                .create(
                    {
                        "name": "Tour customer",
                        "is_company": True,
                        "customer_segment": "enterprise",
                    }
                )
                .id,
                "service_type_id": self.env.ref(
                    "field_service_sla.service_type_internet_line"
                ).id,
                "assurance_level_id": self.env.ref("field_service_sla.level_aaa").id,
            }
        )
        return self.env["helpdesk.ticket"].create(
            {
                "name": "Tour: line down",
                "description": "x",
                "service_line_id": line.id,
                "user_id": technician.id,
            }
        )

    def _technician(self):
        return new_test_user(
            self.env,
            login="tour_technician",
            groups="field_service_sla.group_fs_technician",
        )

@tagged("post_install", "-at_install")
class TestSlaTour(TourTickets, HttpCase):
    def test_technician_records_contact_and_pauses(self):
        technician = self._technician()
        ticket = self._tour_ticket(technician)
        self.start_tour(
            f"/odoo/helpdesk-tickets/{ticket.id}",
            "field_service_sla_ticket_tour",
            login="tour_technician",
        )
        contact = ticket.sla_clock_ids.filtered(lambda c: c.kind == "contact")
        self.assertEqual(contact.state, "met")
        self.assertEqual(len(ticket.sla_pause_ids), 1)
        self.assertTrue(ticket.sla_pause_ids.end_date)

    def test_cards_and_list_name_the_next_milestone(self):
        self._tour_ticket(self._technician())
        self.start_tour(
            "/odoo/helpdesk-tickets",
            "field_service_sla_cards_tour",
            login="tour_technician",
        )

@tagged("post_install", "-at_install")
class TestPolicyFormTour(HttpCase):
    browser_size = "1440x900"

    def test_milestones_read_in_full_at_1440_px(self):
        new_test_user(
            self.env,
            login="tour_sla_admin",
            groups="field_service_sla.group_fs_sla_admin",
        )
        policy = self.env.ref("field_service_sla.policy_group_aaa")
        policy.milestone_ids.filtered(lambda m: m.kind == "diagnosis").calendar_id = (
            self.env.ref("field_service_sla.calendar_office")
        )
        self.start_tour(
            f"/odoo/action-field_service_sla.fs_sla_policy_action/{policy.id}",
            "field_service_sla_policy_form_tour",
            login="tour_sla_admin",
        )

@tagged("post_install", "-at_install")
class TestPhoneTour(TourTickets, HttpCase):
    """A technician works on a phone."""

    browser_size = "390x844"
    touch_enabled = True

    def test_technician_sees_the_sla_and_its_actions_first(self):
        ticket = self._tour_ticket(self._technician())
        self.start_tour(
            f"/odoo/helpdesk-tickets/{ticket.id}",
            "field_service_sla_phone_tour",
            login="tour_technician",
        )
        self.assertTrue(ticket.first_contact_date)
        self.assertTrue(ticket.sla_paused_by_hand)


@tagged("post_install", "-at_install")
class TestWideScreenTour(TourTickets, HttpCase):
    browser_size = "1440x900"

    def test_milestone_list_fits_beside_the_chatter(self):
        ticket = self._tour_ticket(self._technician())
        self.start_tour(
            f"/odoo/helpdesk-tickets/{ticket.id}",
            "field_service_sla_milestones_1440_tour",
            login="tour_technician",
        )
