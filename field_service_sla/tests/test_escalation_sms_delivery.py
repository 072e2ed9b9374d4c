import json
import logging
import time

from odoo.tests import new_test_user, tagged

from odoo.addons.sms.tools.sms_api import SmsApiBase

from ..models.fs_escalation_sms import PlannedSms
from ..sla_core.sms_segments import segment_count
from .common import sh
from .escalation_common import EscalationCase
from .rpc import RpcCase

_logger = logging.getLogger(__name__)

NUMBERS = ("+8613900000001", "+8613900000002", "+8613900000003")


@tagged("post_install", "-at_install")
class TestEscalationSmsDelivery(RpcCase, EscalationCase):
    """Each bulletin an escalation step texts is kept with its text and
    follows its delivery reports: the ticket's Escalation tab says how many
    numbers it reached, the distribution list each number's last result."""

    def storm(self, count):
        """``count`` tickets become severe together: the start bulletin goes
        to each number of the list as one digest. Returns (tickets, their
        start-bulletin history rows)."""
        tickets = self.env["helpdesk.ticket"].browse(
            [self._ticket(sh(2026, 3, 2, 9, 0)).id for _n in range(count)]
        )
        self.sweep(sh(2026, 3, 2, 9, 0))
        self.make_severe(tickets, sh(2026, 3, 2, 9, 5))
        self.sweep(sh(2026, 3, 2, 9, 5))
        start = self.env["fs.escalation.fired"].search(
            [("ticket_id", "in", tickets.ids), ("step_id.name", "=", "Start bulletin")]
        )
        self.assertEqual(len(start), count)
        return tickets, start

    def bulletins(self):
        return self.env["fs.escalation.sms"].search(
            [("number", "in", NUMBERS)], order="number"
        )

    def report(self, statuses):
        """Delivery reports as Odoo's IAP webhook receives them."""
        response = self.url_open(
            "/sms/status",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "message_statuses": [
                            {"sms_status": status, "uuids": uuids}
                            for status, uuids in statuses
                        ]
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.json().get("result"), "OK", response.text)
        self.env.invalidate_all()

    def test_a_digest_is_one_sms_per_number_linked_to_every_ticket_it_tells(self):
        _tickets, start = self.storm(2)
        bulletins = self.bulletins()
        self.assertEqual(bulletins.mapped("number"), list(NUMBERS))
        for bulletin in bulletins:
            self.assertEqual(bulletin.fired_ids, start)
            self.assertEqual(bulletin.state, "queued")
            self.assertEqual(bulletin.company_id, self.company)
            self.assertTrue(bulletin.body.startswith("【严重故障|共2张工单】"))
            self.assertEqual(bulletin.segments, segment_count(bulletin.body))
            sms = self.env["sms.sms"].search([("uuid", "=", bulletin.sms_uuid)])
            self.assertEqual(
                (sms.number, sms.body, sms.state),
                (bulletin.number, bulletin.body, "outgoing"),
            )
            self.assertEqual(sms.sms_tracker_id.fs_escalation_sms_id, bulletin)
        self.assertEqual(start.sms_ids, bulletins)
        self.assertEqual(set(start.mapped("sms_reach")), {"Reached 0 of 3 numbers"})
        self.assertEqual(set(start.mapped("sms_waiting_count")), {3})

    def test_a_ticket_told_alone_gets_its_own_bulletin(self):
        _tickets, start = self.storm(1)
        bulletins = self.bulletins()
        self.assertEqual(len(bulletins), 3)
        self.assertEqual(bulletins.fired_ids, start)
        self.assertTrue(bulletins[0].body.startswith("【新|"))

    def test_delivery_reports_show_on_the_ticket_and_the_list(self):
        tickets, start = self.storm(2)
        noc, dept, city = self.bulletins()
        self.report(
            [
                ("delivered", [noc.sms_uuid]),
                ("not_delivered", [dept.sms_uuid]),
                ("sent", [city.sms_uuid]),
            ]
        )
        self.assertEqual(
            (noc.state, dept.state, city.state), ("delivered", "failed", "sent")
        )
        self.assertEqual(dept.failure_type, "sms_not_delivered")
        self.assertEqual(dept.display_reason, "Not Delivered")
        self.assertTrue(noc.done_at and dept.done_at)
        for fired in tickets.escalation_fired_ids & start:
            self.assertEqual(
                (
                    fired.sms_delivered_count,
                    fired.sms_failed_count,
                    fired.sms_waiting_count,
                ),
                (1, 1, 1),
            )
            self.assertEqual(fired.sms_reach, "Reached 1 of 3 numbers")
        lines = {line.normalized: line for line in self.bulletin_list.number_ids}
        self.assertEqual(lines[noc.number].last_sms_state, "delivered")
        self.assertEqual(
            (
                lines[dept.number].last_sms_state,
                lines[dept.number].last_sms_reason,
                lines[dept.number].last_sms_failed,
            ),
            ("failed", "Not Delivered", True),
        )
        self.assertEqual(lines[dept.number].last_sms_at, dept.done_at)
        self.assertEqual(self.bulletin_list.failing_number_count, 1)
        self.assertEqual(
            self.env["fs.sms.list.number"].search(
                [
                    ("list_id", "=", self.bulletin_list.id),
                    ("last_sms_failed", "=", True),
                ]
            ),
            lines[dept.number],
        )
        self.assertIn(
            self.bulletin_list,
            self.env["fs.sms.list"].search([("number_ids.last_sms_failed", "=", True)]),
        )

        # late, repeated or contradicting reports change no final state
        self.report(
            [
                ("delivered", [dept.sms_uuid]),
                ("sent", [noc.sms_uuid]),
                ("delivered", [city.sms_uuid]),
            ]
        )
        self.assertEqual(
            (noc.state, dept.state, city.state), ("delivered", "failed", "delivered")
        )
        self.assertEqual(start[0].sms_reach, "Reached 2 of 3 numbers")

        # the next bulletin to the dead number is its last result
        self.sweep(sh(2026, 3, 2, 11, 5))
        self.assertEqual(lines[dept.number].last_sms_state, "queued")
        self.assertFalse(lines[dept.number].last_sms_failed)
        self.assertEqual(self.bulletin_list.failing_number_count, 0)

    def test_the_gateways_answer_moves_the_bulletins_as_it_sends(self):
        """Sending through any provider (Odoo's SmsApiBase seam): the
        gateway's answer per SMS reaches the bulletins through their
        trackers."""
        self.storm(1)
        noc, dept, city = self.bulletins()
        answers = {
            noc.sms_uuid: {"state": "success"},
            dept.sms_uuid: {"state": "wrong_number_format"},
            city.sms_uuid: {"state": "server_error", "failure_reason": "SMSC down"},
        }

        class Gateway(SmsApiBase):
            def _send_sms_batch(self, messages, delivery_reports_url=False):
                return [
                    {"uuid": number["uuid"], **answers[number["uuid"]]}
                    for message in messages
                    for number in message["numbers"]
                ]

        sms = self.env["sms.sms"].search([("uuid", "in", list(answers))])
        sms._send_with_api(Gateway(self.env), unlink_sent=False)
        self.assertEqual(
            (noc.state, dept.state, city.state), ("sent", "failed", "failed")
        )
        self.assertEqual(dept.display_reason, "Wrong Number Format")
        self.assertEqual(city.failure_reason, "SMSC down")
        self.assertEqual(self.bulletin_list.failing_number_count, 2)

    def test_the_counts_take_one_query_for_one_row_or_twenty(self):
        _tickets, start = self.storm(20)
        self.env.invalidate_all()
        queries = []
        for rows in (start[:1], start):
            rows.invalidate_recordset()
            before = self.cr.sql_log_count
            rows.mapped("sms_reach")
            queries.append(self.cr.sql_log_count - before)
        self.assertEqual(queries[0], queries[1])
        self.assertLessEqual(queries[1], 1)

    def test_a_dispatcher_reads_the_bulletins_and_changes_none(self):
        tickets, start = self.storm(1)
        new_test_user(
            self.env,
            login="sms_dispatcher",
            groups="field_service_sla.group_fs_dispatcher",
        )
        other = self.env["res.company"].create({"name": "Other operator"})
        foreign = self.env["fs.escalation.sms"].create(
            {"company_id": other.id, "number": NUMBERS[0], "body": "elsewhere"}
        )
        action = self.call(
            "sms_dispatcher", "fs.escalation.fired", "action_open_sms", start.ids
        )
        found = self.call(
            "sms_dispatcher",
            "fs.escalation.sms",
            "search_read",
            action["domain"],
            fields=["number", "state", "body"],
        )
        self.assertEqual(
            sorted(row["number"] for row in found), list(NUMBERS), "not the foreign one"
        )
        reach = self.call(
            "sms_dispatcher", "fs.escalation.fired", "read", start.ids, ["sms_reach"]
        )
        self.assertEqual(reach[0]["sms_reach"], "Reached 0 of 3 numbers")
        mine = found[0]["id"]
        self.assertRpcRefused(
            "sms_dispatcher",
            "fs.escalation.sms",
            "write",
            [mine],
            {"state": "delivered"},
            kinds=("AccessError",),
        )
        self.assertRpcRefused(
            "sms_dispatcher",
            "fs.escalation.sms",
            "unlink",
            [mine],
            kinds=("AccessError",),
        )
        self.assertRpcRefused(
            "sms_dispatcher",
            "fs.escalation.sms",
            "read",
            foreign.ids,
            ["body"],
            kinds=("AccessError",),
        )
        self.assertEqual(self.env["fs.escalation.sms"].browse(mine).state, "queued")
        self.assertTrue(tickets)

    def test_who_reads_a_list_but_not_its_numbers_sees_how_many_fail(self):
        self.storm(1)
        self.report([("not_delivered", [self.bulletins()[0].sms_uuid])])
        new_test_user(
            self.env,
            login="sms_am",
            groups="field_service_sla.group_fs_account_manager",
        )
        self.assertRpcRefused(
            "sms_am",
            "fs.sms.list.number",
            "read",
            self.bulletin_list.number_ids.ids,
            ["last_sms_state"],
            kinds=("AccessError",),
        )
        read = self.call(
            "sms_am",
            "fs.sms.list",
            "read",
            self.bulletin_list.ids,
            ["failing_number_count"],
        )
        self.assertEqual(read[0]["failing_number_count"], 1)

    def test_a_digest_is_hidden_from_who_sees_only_one_of_its_tickets(self):
        tickets, _start = self.storm(2)
        own = new_test_user(
            self.env, login="sms_own", groups="helpdesk_mgmt.group_helpdesk_user_own"
        )
        tickets[0].user_id = own
        self.assertEqual(
            self.call("sms_own", "fs.escalation.sms", "search_count", []), 0
        )
        tickets[1].user_id = own
        self.assertEqual(
            self.call("sms_own", "fs.escalation.sms", "search_count", []), 3
        )

    def test_twelve_thousand_sms_are_queued_in_a_few_statements(self):
        """A storm's 300 digests to 40 numbers each (the issue's benchmark):
        queued set-based. The time is logged, not asserted (benchmarks print
        their figures)."""
        _tickets, start = self.storm(3)
        keys = [
            (fired.ticket_id.id, fired.step_id.id, fired.occurrence) for fired in start
        ]
        fired_ids = dict(zip(keys, start.ids, strict=True))
        planned = [
            PlannedSms(
                f"+86137{digest:03d}{number:05d}",
                f"【严重故障|共{digest % 7 + 2}张工单】2026/03/02 09:05,中断 {digest}",
                self.company.id,
                keys[: 1 + digest % 3],
            )
            for digest in range(300)
            for number in range(40)
        ]
        actions = self.env["fs.escalation.actions"]._for_batch()
        self.env.flush_all()
        before = self.cr.sql_log_count
        started = time.perf_counter()
        actions._queue_sms(planned, fired_ids)
        self.env.flush_all()
        elapsed = time.perf_counter() - started
        statements = self.cr.sql_log_count - before
        _logger.info(
            "12,000 escalation SMS queued in %.2f s, %d statements",
            elapsed,
            statements,
        )
        self.assertLess(statements, 20)
        self.env.cr.execute(
            """
            SELECT count(*), count(t.id), count(m.id)
              FROM fs_escalation_sms s
              LEFT JOIN sms_tracker t ON t.fs_escalation_sms_id = s.id
              LEFT JOIN sms_sms m ON m.uuid = s.sms_uuid
             WHERE s.number LIKE '+86137%%'
            """
        )
        self.assertEqual(self.env.cr.fetchone(), (12000, 12000, 12000))
