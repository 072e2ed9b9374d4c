import json

from odoo.tests import tagged
from odoo.tools import mute_logger

from .portal_common import PortalCase


@tagged("post_install", "-at_install")
class TestPortalIsolation(PortalCase):
    """Two customer companies over HTTP: each portal user reads their
    company's tickets, SLA clocks, service lines and field orders, and
    nothing of the other's, by menu, by URL or with another record's token."""

    def assertRefused(self, response):
        """Another company's page: helpdesk_mgmt and fieldservice_portal send
        the user back to their portal home, with nothing of the record."""
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith("/my"))

    def counters(self, *names):
        response = self.url_open(
            "/my/counters",
            data=json.dumps({"params": {"counters": list(names)}}),
            headers={"Content-Type": "application/json"},
        )
        return response.json()["result"]

    # ------------------------------------------------------------------
    # tickets
    # ------------------------------------------------------------------
    def test_ticket_list_shows_the_company_tickets_with_their_sla(self):
        for user in (self.portal_a, self.portal_a2):
            with self.subTest(user=user.login):
                self.login(user)
                page = self.url_open("/my/tickets").text
                self.assertIn("Fault of Water", page)
                self.assertIn("A-IDL-1", page)
                self.assertIn("o_fs_portal_ticket_sla", page)
                self.assertIn("Running", page)
                self.assertIn("First contact", page)
                self.assertNotIn("Fault of Power", page)
                self.assertNotIn("B-IDL-1", page)
                self.assertEqual(self.counters("ticket_count")["ticket_count"], 1)
        self.login(self.portal_b)
        page = self.url_open("/my/tickets").text
        self.assertIn("Fault of Power", page)
        self.assertNotIn("Fault of Water", page)

    def test_ticket_list_sorts_by_deadline_and_groups_by_line(self):
        self.login(self.portal_a)
        page = self.url_open("/my/tickets?sortby=sla_deadline&groupby=service_line")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Fault of Water", page.text)
        self.assertIn("th_groupby_service_line", page.text)

    def test_ticket_page_shows_line_status_and_milestones(self):
        self.login(self.portal_a)
        response = self.url_open(f"/my/ticket/{self.ticket_a.id}")
        self.assertEqual(response.status_code, 200)
        page = response.text
        self.assertIn("A-IDL-1 Internet dedicated line", page)
        self.assertIn('id="fs_portal_ticket_sla"', page)
        for clock in self.ticket_a.sla_clock_ids:
            self.assertIn(f'data-kind="{clock.kind}"', page)
        self.assertIn("Service restored", page)
        # the order of the ticket, with a link to its page
        self.assertIn(f'href="/my/fsm_order/{self.order_a.id}"', page)

    def test_another_company_ticket_url_is_refused(self):
        self.login(self.portal_a)
        response = self.url_open(
            f"/my/ticket/{self.ticket_b.id}", allow_redirects=False
        )
        self.assertRefused(response)
        self.assertNotIn("Fault of Power", response.text)
        missing = self.ticket_b.id + 100000
        self.assertRefused(
            self.url_open(f"/my/ticket/{missing}", allow_redirects=False)
        )

    def test_another_ticket_token_does_not_open_a_ticket(self):
        token_a = self.ticket_a._portal_ensure_token()
        token_b = self.ticket_b._portal_ensure_token()
        # a ticket's own token is a share link: it opens that ticket...
        response = self.url_open(
            f"/my/ticket/{self.ticket_b.id}?access_token={token_b}"
        )
        self.assertIn("Fault of Power", response.text)
        # ...and no other, in either form of the URL, logged in or not
        for login in (None, self.portal_a):
            if login:
                self.login(login)
            for url in (
                f"/my/ticket/{self.ticket_b.id}?access_token={token_a}",
                f"/my/ticket/{self.ticket_b.id}/{token_a}",
            ):
                with self.subTest(url=url, login=bool(login)):
                    response = self.url_open(url, allow_redirects=False)
                    self.assertEqual(response.status_code, 303)
                    self.assertNotIn("Fault of Power", response.text)

    def test_a_followed_ticket_of_another_company_stays_hidden(self):
        """helpdesk_mgmt alone shows a portal user any ticket one of their
        company's contacts follows; another customer's is not theirs."""
        self.ticket_b.message_subscribe(partner_ids=self.portal_a2.partner_id.ids)
        self.login(self.portal_a)
        self.assertNotIn("Fault of Power", self.url_open("/my/tickets").text)
        self.assertRefused(
            self.url_open(f"/my/ticket/{self.ticket_b.id}", allow_redirects=False)
        )
        tickets = self.env["helpdesk.ticket"].with_user(self.portal_a2)
        self.assertEqual(tickets.search([]), self.ticket_a)

    @mute_logger("odoo.http")
    def test_closing_another_company_ticket_is_refused(self):
        """helpdesk_mgmt closes any ticket id it is sent, as superuser."""
        done = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        # one without open field orders, which helpdesk_mgmt_fieldservice keeps open
        ticket_b = self._ticket(self.portal_b, self.line_b, "Noisy line")
        stage = ticket_b.stage_id
        self.login(self.portal_a)
        for ticket_id in (ticket_b.id, "x"):
            response = self.url_open(
                f"/ticket/close?ticket_id={ticket_id}&stage_id={done.id}",
                allow_redirects=False,
            )
            self.assertEqual(response.status_code, 404)
        self.assertEqual(ticket_b.stage_id, stage)
        # their own closes as helpdesk_mgmt does it (one without open orders)
        own = self._ticket(self.portal_a2, self.line_a, "Flapping line")
        response = self.url_open(
            f"/ticket/close?ticket_id={own.id}&stage_id={done.id}",
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(own.stage_id, done)

    def test_records_behind_the_pages_are_the_company_ones(self):
        """What the pages read as the portal user: their lines (active and
        archived), their tickets' clocks, nothing of the other company."""
        env = self.env(user=self.portal_a)
        for model in ("fs.service.line", "fs.service.type", "fs.sla.clock"):
            for operation in ("write", "create", "unlink"):
                self.assertFalse(env[model].has_access(operation), (model, operation))
        Line = env["fs.service.line"].with_context(active_test=False)
        self.assertEqual(
            set(Line.search([]).mapped("circuit_ref")), {"A-IDL-1", "A-OLD-1"}
        )
        clocks = env["fs.sla.clock"].search([])
        self.assertTrue(clocks)
        self.assertEqual(clocks.ticket_id, self.ticket_a)
        self.assertEqual(env["fsm.order"].search([]), self.order_a)
        self.assertFalse(env["helpdesk.ticket"].search([("id", "=", self.ticket_b.id)]))

    def test_another_company_line_on_a_ticket_is_not_named(self):
        """A ticket whose line a dispatcher set to another customer's: the
        portal shows no line rather than the other customer's circuit."""
        self.ticket_a.sudo().write(
            {
                "service_line_id": self.line_b.id,
                "partner_id": self.portal_a.partner_id.id,
            }
        )
        self.login(self.portal_a)
        for url in ("/my/tickets", f"/my/ticket/{self.ticket_a.id}"):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 200)
                self.assertNotIn("B-IDL-1", response.text)

    # ------------------------------------------------------------------
    # field orders
    # ------------------------------------------------------------------
    def test_order_list_and_counter_show_the_company_orders(self):
        self.login(self.portal_a)
        page = self.url_open("/my/fsm_orders?filterby=all&groupby=none").text
        self.assertIn(self.order_a.name, page)
        self.assertIn("Visit for Fault of Water", page)
        self.assertNotIn(self.order_b.name, page)
        self.assertNotIn("Power Group", page)
        # fieldservice_portal counts as superuser: every customer's orders
        self.assertEqual(self.counters("fsm_order_count")["fsm_order_count"], 1)

    def test_an_order_of_their_ticket_elsewhere_is_theirs(self):
        """An order for their ticket at a site they do not own (the
        operator's exchange) is theirs; one at their site for another
        customer's ticket is not."""
        exchange = self.env["fsm.location"].create(
            {"name": "Central exchange", "owner_id": self.env.company.partner_id.id}
        )
        theirs = self.order_a.copy(
            {"location_id": exchange.id, "ticket_id": self.ticket_a.id}
        )
        not_theirs = self.order_b.copy(
            {"location_id": self.order_a.location_id.id, "ticket_id": self.ticket_b.id}
        )
        orders = self.env["fsm.order"].with_user(self.portal_a).search([])
        self.assertIn(theirs, orders)
        self.assertNotIn(not_theirs, orders)

    def test_order_page_shows_appointment_and_work_log(self):
        self.order_a.write({"fs_cause_category": "transmission"})
        self.login(self.portal_a)
        response = self.url_open(f"/my/fsm_order/{self.order_a.id}")
        self.assertEqual(response.status_code, 200)
        page = response.text
        self.assertIn('id="fs_portal_order_visit"', page)
        self.assertIn("Fibre cut at Water Group", page)
        self.assertIn("Transmission line", page)
        self.assertIn(f'href="/my/ticket/{self.ticket_a.id}"', page)

    def test_another_company_order_url_is_refused(self):
        self.login(self.portal_a)
        for order_id in (self.order_b.id, self.order_b.id + 100000):
            with self.subTest(order_id=order_id):
                response = self.url_open(
                    f"/my/fsm_order/{order_id}", allow_redirects=False
                )
                self.assertRefused(response)
                self.assertNotIn("Power Group", response.text)
        # a ticket's token opens no order
        token = self.ticket_b._portal_ensure_token()
        response = self.url_open(
            f"/my/fsm_order/{self.order_b.id}?access_token={token}",
            allow_redirects=False,
        )
        self.assertRefused(response)
