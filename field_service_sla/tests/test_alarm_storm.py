"""A fibre cut driven through time (freezegun): its alarms arrive in
several requests with redeliveries and early clears, make one ticket a line
and one incident, the ladders' people get one digest, the clears come, one
line flaps, and the policy restores the others at the clear."""

from collections import Counter
from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged

from .alarm_common import AlarmCase, M, iso
from .escalation_common import no_commit


@tagged("post_install", "-at_install")
class TestAlarmStorm(AlarmCase):
    def test_a_fibre_cut_through_time(self):
        env = self.env
        olts = env["fs.network.element"].create(
            [
                {"name": f"OLT-ST-{n}", "kind": "olt", "upstream_id": self.cable.id}
                for n in range(2)
            ]
        )
        lines = self._old_lines("AL-ST", 24)
        env["fs.network.mapping"].create(
            [
                {
                    "element_id": olts[i % 2].id,
                    "port": f"1/{i}",
                    "service_line_id": line.id,
                }
                for i, line in enumerate(lines)
            ]
        )
        self.policy.alarm_auto_restore = True
        t0 = self.now() - timedelta(days=1)

        def los(i, minute):
            return {
                "alarm_id": f"ST-{i}",
                "raised_at": iso(t0 + minute * M),
                "element": f"OLT-ST-{i % 2}",
                "port": f"1/{i}",
                "type": "LOS",
                "severity": "critical",
            }

        with freeze_time(t0 + M):
            self.send(*[los(i, 0) for i in range(2, 8)])
        # two lines blinked: their clears outrun their raises
        with freeze_time(t0 + 2 * M):
            self.send(self.clear("ST-0", t0 + M), self.clear("ST-1", t0 + M))
            self.send(*[los(i, 1) for i in range(8, 16)])
        # the source redelivers the first request with the rest
        with freeze_time(t0 + 3 * M):
            self.send(*[los(i, 0 if i < 8 else 1 if i < 16 else 2) for i in range(24)])
        tickets = env["helpdesk.ticket"].search([("service_line_id", "in", lines.ids)])
        self.assertEqual(len(tickets), 24)
        self.assertEqual(Counter(tickets.mapped("fs_alarm_count")), {1: 24})
        alarms = env["fs.alarm"].search([("alarm_ref", "like", "ST-")])
        self.assertEqual(len(alarms), 24)
        self.assertEqual(set(alarms.mapped("count")), {1})
        incident = tickets.incident_id
        self.assertEqual(len(incident), 1)
        self.assertEqual(incident.network_element, "CABLE-AL-9")
        self.assertEqual(set(tickets.mapped("severity")), {"severe"})
        # the early clears were applied to their raises
        self.assertEqual(
            alarms.filtered(lambda a: a.state == "cleared").mapped("alarm_ref"),
            ["ST-1", "ST-0"],
        )

        # the escalation sweep: one bulletin per number, not one per ticket
        numbers = env.ref("field_service_sla.sms_list_severe_faults").number_ids
        sms_before = env["sms.sms"].search_count([])
        with (
            freeze_time(t0 + 4 * M),
            patch.object(type(env["ir.cron"]), "_commit_progress", no_commit),
        ):
            env["fs.escalation.engine"]._sweep()
        self.assertEqual(env["sms.sms"].search_count([]) - sms_before, len(numbers))
        started = env["fs.escalation.fired"].search(
            [("ticket_id", "in", tickets.ids), ("step_id.name", "=", "Start bulletin")]
        )
        self.assertEqual(len(started), 24)
        self.assertTrue(all(started.mapped("digest")))

        # the clears, then one line flaps
        with freeze_time(t0 + 45 * M):
            self.send(*[self.clear(f"ST-{i}", t0 + 42 * M) for i in range(2, 24)])
        self.assertEqual(set(tickets.mapped("fs_alarm_active_count")), {0})
        with freeze_time(t0 + 50 * M):
            self.send(los(5, 48))
        flapping = tickets.filtered(lambda t: t.service_line_id == lines[5])
        self.assertEqual(flapping.fs_alarm_flap_count, 1)
        self.assertFalse(flapping.fs_alarms_cleared_at)
        # the flap window (15 min) after the last clear: restored at the clear
        intake = env["fs.alarm.intake"]
        intake._cron_restore_cleared(now=t0 + 55 * M)
        self.assertEqual(tickets.filtered("restored_date").service_line_id, lines[:2])
        intake._cron_restore_cleared(now=t0 + 58 * M)
        restored = tickets.filtered("restored_date")
        self.assertEqual(len(restored), 23)
        self.assertEqual(set(restored.mapped("restored_date")), {t0 + M, t0 + 42 * M})
        self.assertFalse(flapping.restored_date)
        self.assertFalse(any(tickets.mapped("closed")))
