"""A storm's severe-fault bulletins through the company's SMPP gateway, end
to end: the sweep queues them, the SMS queue sends them to the SMSC
simulator, its receipts come back, and the ticket's Escalation tab and the
distribution list say who was reached."""

from odoo import Command
from odoo.tests import tagged

from .common import sh
from .escalation_common import EscalationCase
from .sms_common import PASSWORD, SYSTEM_ID, Smsc, SmsGatewayCase

DEAD = "+8613900004444"


@tagged("post_install", "-at_install")
class TestBulletinsThroughTheGateway(EscalationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.smsc = Smsc().start()
        cls.addClassCleanup(cls.smsc.stop)
        cls.gateway = cls.env["fs.sms.gateway"].create(
            {
                "name": "Provincial SMSC",
                "smpp_host": "127.0.0.1",
                "smpp_port": cls.smsc.port,
                "smpp_system_id": SYSTEM_ID,
                "smpp_password": PASSWORD,
            }
        )
        cls.gateway.action_use()
        cls.bulletin_list.number_ids = [
            Command.create({"name": "Old phone", "number": DEAD})
        ]

    run_queue = SmsGatewayCase.run_queue
    collect = SmsGatewayCase.collect
    wait_receipts = SmsGatewayCase.wait_receipts

    def test_the_tab_says_who_was_reached(self):
        tickets = self.env["helpdesk.ticket"].browse(
            [self._ticket(sh(2026, 3, 2, 9, 0)).id for _n in range(2)]
        )
        self.sweep(sh(2026, 3, 2, 9, 0))
        self.make_severe(tickets, sh(2026, 3, 2, 9, 5))
        self.sweep(sh(2026, 3, 2, 9, 5))
        start = self.env["fs.escalation.fired"].search(
            [("ticket_id", "in", tickets.ids), ("step_id.name", "=", "Start bulletin")]
        )
        bulletins = self.env["fs.escalation.sms"].search(
            [("fired_ids", "in", start.ids)]
        )
        numbers = len(self.bulletin_list._numbers())
        self.assertEqual(len(bulletins), numbers, "one digest per number")
        sms = self.env["sms.sms"].search([("uuid", "in", bulletins.mapped("sms_uuid"))])
        self.assertEqual(set(sms.mapped("fs_company_id")), {self.company})
        self.run_queue()
        self.wait_receipts(sms)
        self.env.invalidate_all()
        dead = bulletins.filtered(lambda b: b.number == DEAD)
        self.assertEqual(dead.state, "failed")
        self.assertIn("UNDELIV", dead.failure_reason)
        self.assertEqual(set((bulletins - dead).mapped("state")), {"delivered"})
        for fired in start:
            self.assertEqual(
                fired.sms_reach, f"Reached {numbers - 1} of {numbers} numbers"
            )
        line = self.bulletin_list.number_ids.filtered(lambda n: n.normalized == DEAD)
        self.assertEqual(line.last_sms_state, "failed")
        texts = self.smsc.texts()
        for bulletin in bulletins:
            self.assertEqual(texts[(bulletin.number[1:], bulletin.body)], 1)
