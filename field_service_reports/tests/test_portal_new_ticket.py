from odoo import http
from odoo.tests import tagged

from .portal_common import PortalCase


@tagged("post_install", "-at_install")
class TestPortalNewTicket(PortalCase):
    """helpdesk_mgmt's "new ticket" form with the customer's service line."""

    def submit(self, **values):
        data = {
            "csrf_token": http.Request.csrf_token(self),
            "subject": "Portal: line down",
            "description": "No traffic since 9:00",
            **values,
        }
        return self.url_open("/submitted/ticket", data=data, allow_redirects=False)

    def tickets(self):
        return self.env["helpdesk.ticket"].search([("name", "=", "Portal: line down")])

    def test_form_offers_the_company_active_lines_only(self):
        self.login(self.portal_a)
        page = self.url_open(
            "/new/ticket", data={"csrf_token": http.Request.csrf_token(self)}
        ).text
        self.assertIn('name="fs_service_line"', page)
        self.assertIn(f'value="{self.line_a.id}"', page)
        self.assertIn("A-IDL-1", page)
        self.assertNotIn("A-OLD-1", page)
        self.assertNotIn("B-IDL-1", page)

    def test_ticket_on_a_line_gets_the_clocks_a_dispatcher_ticket_gets(self):
        self.login(self.portal_a)
        response = self.submit(fs_service_line=str(self.line_a.id))
        ticket = self.tickets()
        self.assertEqual(len(ticket), 1)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(
            response.headers["Location"].endswith(f"/my/ticket/{ticket.id}")
        )
        self.assertEqual(ticket.service_line_id, self.line_a)
        self.assertEqual(ticket.partner_id, self.portal_a.partner_id)
        self.assertEqual(ticket.customer_tier_id, self.company_a.customer_tier_id)
        self.assertEqual(ticket.assurance_level_id, self.aaa)
        logged = (
            self.env["helpdesk.ticket"]
            .with_user(self.dispatcher)
            .create(
                {
                    "name": "Logged by the dispatcher",
                    "description": "Customer called",
                    "service_line_id": self.line_a.id,
                    "partner_id": self.portal_a.partner_id.id,
                    "reported_date": ticket.reported_date,
                    "team_id": ticket.team_id.id,
                    "category_id": ticket.category_id.id,
                    "priority": ticket.priority,
                }
            )
        )
        self.assertTrue(ticket.sla_policy_id)
        self.assertEqual(ticket.sla_policy_id, logged.sla_policy_id)
        self.assertEqual(ticket.sla_state, "running")
        self.assertEqual(ticket.sla_deadline, logged.sla_deadline)

        def clocks(t):
            return [
                (c.kind, c.state, c.start_date, c.deadline) for c in t.sla_clock_ids
            ]

        self.assertTrue(ticket.sla_clock_ids)
        self.assertEqual(clocks(ticket), clocks(logged))
        page = self.url_open(f"/my/ticket/{ticket.id}").text
        self.assertIn("o_fs_portal_sla_status", page)
        self.assertIn("A-IDL-1", page)

    def assertRefusedLine(self, value):
        before = self.env["helpdesk.ticket"].search_count([])
        response = self.submit(fs_service_line=value)
        self.assertEqual(response.status_code, 400)
        self.assertIn("not one of your company", response.text)
        self.assertIn("o_fs_portal_error", response.text)
        # what the customer typed is kept for the next try
        self.assertIn('value="Portal: line down"', response.text)
        self.assertFalse(self.tickets())
        self.assertEqual(self.env["helpdesk.ticket"].search_count([]), before)

    def test_another_company_line_is_refused_and_nothing_created(self):
        self.login(self.portal_a)
        self.assertRefusedLine(str(self.line_b.id))

    def test_an_archived_or_unknown_or_garbled_line_is_refused(self):
        archived = (
            self.env["fs.service.line"]
            .with_context(active_test=False)
            .search([("circuit_ref", "=", "A-OLD-1")])
        )
        self.login(self.portal_a)
        for value in (
            str(archived.id),
            "999999999",
            "abc",
            "-1",
            f"{self.line_a.id}.5",
        ):
            with self.subTest(value=value):
                self.assertRefusedLine(value)

    def test_a_ticket_without_line_is_still_helpdesk_mgmt_s(self):
        self.login(self.portal_a)
        response = self.submit()
        self.assertEqual(response.status_code, 302)
        ticket = self.tickets()
        self.assertEqual(len(ticket), 1)
        self.assertFalse(ticket.service_line_id)
        self.assertEqual(ticket.partner_id, self.portal_a.partner_id)
