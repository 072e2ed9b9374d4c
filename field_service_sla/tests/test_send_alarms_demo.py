"""data/send-alarms against the real server and the demo data: as admin over
JSON-RPC it gives the demo source a key, and its fibre cut opens a ticket per
line behind the OLT, correlates them into one incident on the cable, and
clears them."""

import subprocess
import sys
from pathlib import Path

from odoo.tests import HttpCase, tagged

SCRIPT = Path(__file__).resolve().parents[2] / "data" / "send-alarms"


@tagged("post_install", "-at_install")
class TestSendAlarmsDemo(HttpCase):
    def test_the_demo_fibre_cut_opens_tickets_an_incident_and_clears(self):
        olt = self.env.ref(
            "field_service_sla.demo_element_olt_bs", raise_if_not_found=False
        )
        if not olt:
            self.skipTest("needs the demo data")
        lines = olt.mapping_ids.service_line_id
        source = self.env.ref("field_service_sla.demo_alarm_source")
        domain = [("source_id", "=", source.id), ("alarm_ref", "=like", "CUT-%")]
        before = self.env["fs.alarm"].search(domain)
        # the script sends no test cookie: let its requests in
        with self.allow_requests(all_requests=True):
            proc = subprocess.run(
                [sys.executable, str(SCRIPT), self.base_url()]
                + ["--db", self.env.cr.dbname, "--wait", "0"],
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.env.invalidate_all()
        cut = self.env["fs.alarm"].search(domain) - before
        self.assertEqual(len(cut), len(lines) + 1)  # a port each, and the cable
        self.assertEqual(set(cut.mapped("state")), {"cleared"})
        self.assertEqual(set(cut.mapped("match_state")), {"matched"})
        tickets = cut.ticket_ids
        self.assertEqual(tickets.service_line_id, lines)
        self.assertEqual(tickets.incident_id.network_element, "WZ-BS-FIBRE-012")
        # a ticket whose alarms all cleared (the cut's, and any other) says when
        for ticket in tickets:
            self.assertEqual(
                bool(ticket.fs_alarms_cleared_at),
                set(ticket.fs_alarm_ids.mapped("state")) == {"cleared"},
            )
