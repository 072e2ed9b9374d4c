import re
from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .portal_common import PortalCase


@tagged("post_install", "-at_install")
class TestPortalClosedTicket(PortalCase):
    """A customer reads a closed ticket's final verdict, as of its close,
    days after."""

    def test_a_closed_ticket_shows_its_verdict_frozen_at_the_close(self):
        ticket = self._ticket(self.portal_a, self.line_a, "Old fault of Water")
        contact = ticket.sla_clock_ids.filtered(lambda c: c.kind == "contact")
        closed = contact.deadline + timedelta(minutes=45)
        with freeze_time(closed):
            self.env["fs.sla.clock"]._cron_mark_breaches()
            ticket.stage_id = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        self.env.flush_all()
        self.login(self.portal_a)
        seen = []
        for at in (closed + timedelta(hours=1), closed + timedelta(days=5)):
            with freeze_time(at):
                listing = self.url_open("/my/tickets")
                page = self.url_open(f"/my/ticket/{ticket.id}")
                # the words, in the language the portal answered in
                lang = re.search(r'<html[^>]* lang="([^"]+)"', page.text)[1]
                env = self.env(context={"lang": lang.replace("-", "_")})
                verdict = contact.with_env(env).verdict
                late = env["helpdesk.ticket"]._sla_duration(at - contact.deadline)
            with self.subTest(at=at):
                self.assertEqual(listing.status_code, 200)
                self.assertEqual(page.status_code, 200)
                self.assertIn(verdict, page.text)
                # how late it would be now is not said (the list also holds
                # an open ticket, overdue indeed)
                self.assertNotIn(late, page.text)
            seen.append(verdict)
        self.assertEqual(seen[0], seen[1])
        self.assertIn(
            env["helpdesk.ticket"]._sla_duration(timedelta(minutes=45)), seen[0]
        )
