"""From alarms to tickets, through the endpoint: join or open, clears and the
restore time, flapping, correlation into an incident, and the unmatched
queue worked by a dispatcher."""

from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import Form, new_test_user, tagged

from .alarm_common import AlarmCase, M, iso


@tagged("post_install", "-at_install")
class TestAlarmTickets(AlarmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dispatcher = new_test_user(
            cls.env,
            "alarm_dispatcher",
            groups="field_service_sla.group_fs_dispatcher",
        )
        cls.technician = new_test_user(
            cls.env,
            "alarm_technician",
            groups="field_service_sla.group_fs_technician",
        )

    def test_an_alarm_on_a_line_with_an_open_fault_ticket_joins_it(self):
        line = self.lines[0]
        called = self.now() - 30 * M
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Customer says the line is down",
                "description": "Called 10086-8",
                "service_line_id": line.id,
                "reported_date": called,
            }
        )
        self.send(self.raise_("J-1", self.now() - 10 * M, line))
        self.assertEqual(self.tickets_of(line), ticket)
        self.assertEqual(self.alarm("J-1").ticket_ids, ticket)
        # the customer's report started the clock: the alarm does not move it
        self.assertEqual(ticket.reported_date, called)
        # two alarms of one request on one line make one ticket
        self.send(
            self.raise_("J-2", self.now() - 9 * M, self.lines[1]),
            self.raise_("J-3", self.now() - 8 * M, self.lines[1]),
        )
        self.assertEqual(len(self.tickets_of(self.lines[1])), 1)
        self.assertEqual(self.tickets_of(self.lines[1]).fs_alarm_count, 2)

    def test_a_closed_ticket_is_not_joined(self):
        line = self.lines[0]
        self.send(self.raise_("C-1", self.now() - 50 * M, line))
        first = self.tickets_of(line)
        first.stage_id = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        self.send(self.raise_("C-2", self.now() - 5 * M, line))
        self.assertEqual(len(self.tickets_of(line)), 2)
        self.assertNotEqual(self.alarm("C-2").ticket_ids, first)

    def test_clears_show_on_the_ticket_which_an_alarm_never_closes(self):
        line = self.lines[0]
        raised = self.now() - 40 * M
        self.send(
            self.raise_("R-1", raised, line),
            self.raise_("R-2", raised + M, line, clear_key="CK-2"),
        )
        ticket = self.tickets_of(line)
        stage = ticket.stage_id
        self.send(self.clear("R-1", raised + 10 * M))
        # a clear says when, not what: the alarm keeps what its raise named
        alarm = self.alarm("R-1")
        self.assertEqual(
            (alarm.circuit_ref, alarm.alarm_type, alarm.state),
            (line.circuit_ref, "LOS", "cleared"),
        )
        self.assertEqual(ticket.fs_alarm_active_count, 1)
        self.assertFalse(ticket.fs_alarms_cleared_at)
        # the second pairs by the clear key its raise named
        self.send(
            {
                "state": "cleared",
                "clear_key": "CK-2",
                "cleared_at": iso(raised + 12 * M),
            }
        )
        self.assertEqual(ticket.fs_alarms_cleared_at, raised + 12 * M)
        self.assertEqual(self.alarm("R-2").state, "cleared")
        self.assertIn("Alarms cleared at", ticket.message_ids[0].body)
        self.assertEqual(ticket.stage_id, stage)
        self.assertFalse(ticket.restored_date)
        # a redelivered clear changes nothing
        body = self.send(self.clear("R-1", raised + 10 * M))
        self.assertEqual(body["outcomes"][0]["outcome"], "same")
        # the dispatcher takes the clear as the restore time, in one click
        self.assertRpcRefused(
            "alarm_technician",
            "helpdesk.ticket",
            "action_fs_restored_at_alarm_clear",
            ticket.ids,
        )
        self.call(
            "alarm_dispatcher",
            "helpdesk.ticket",
            "action_fs_restored_at_alarm_clear",
            ticket.ids,
        )
        ticket.invalidate_recordset()
        self.assertEqual(ticket.restored_date, raised + 12 * M)
        self.assertEqual(ticket.stage_id, stage)

    def test_a_clear_before_its_raise_is_kept_and_applied_when_the_raise_comes(self):
        raised = self.now() - 30 * M
        body = self.send(self.clear("E-1", raised + 3 * M))
        self.assertEqual(body["outcomes"][0]["outcome"], "pending")
        self.assertFalse(self.alarm("E-1"))
        pending = self.env["fs.alarm.clear"].search([("alarm_ref", "=", "E-1")])
        self.assertEqual(len(pending), 1)
        self.send(self.clear("E-1", raised + 3 * M))  # delivered again: kept once
        self.assertEqual(
            self.env["fs.alarm.clear"].search_count([("alarm_ref", "=", "E-1")]), 1
        )
        self.send(self.raise_("E-1", raised, self.lines[2]))
        alarm = self.alarm("E-1")
        self.assertEqual((alarm.state, alarm.cleared_at), ("cleared", raised + 3 * M))
        self.assertFalse(pending.exists())
        self.assertEqual(
            self.tickets_of(self.lines[2]).fs_alarms_cleared_at, alarm.cleared_at
        )

    def test_a_line_flapping_stays_on_its_ticket_flagged(self):
        line = self.lines[3]
        t0 = self.now() - 50 * M
        self.send(self.raise_("FL-1", t0, line))
        self.send(self.clear("FL-1", t0 + 2 * M))
        self.send(self.raise_("FL-1", t0 + 6 * M, line))
        self.send(self.clear("FL-1", t0 + 7 * M))
        self.send(self.raise_("FL-2", t0 + 12 * M, line))
        ticket = self.tickets_of(line)
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.fs_alarm_flap_count, 2)
        alarm = self.alarm("FL-1")
        self.assertEqual(
            (alarm.count, alarm.flap_count, alarm.state), (2, 1, "cleared")
        )
        self.assertEqual(ticket.fs_alarm_active_count, 1)
        # after the window, a raise is a new fault on the still open ticket
        self.send(self.clear("FL-2", t0 + 13 * M))
        self.send(self.raise_("FL-3", t0 + 40 * M, line))
        self.assertEqual(ticket.fs_alarm_flap_count, 2)

    def test_a_fibre_cut_correlates_into_one_incident_named_after_the_cable(self):
        t0 = self.now() - 30 * M
        self.send(
            *[
                {
                    "alarm_id": f"CUT-{i}",
                    "raised_at": iso(t0 + i * M),
                    "element": "OLT-AL-7",
                    "port": f"1/1/{i}",
                    "type": "LOS",
                }
                for i in range(4)
            ]
        )
        tickets = self.env["helpdesk.ticket"].search(
            [("service_line_id", "in", self.lines[:4].ids)]
        )
        self.assertEqual(len(tickets), 4)
        incident = tickets.incident_id
        self.assertEqual(len(incident), 1)
        self.assertEqual(incident.network_element, "CABLE-AL-9")
        self.assertEqual(incident.start_date, t0)
        self.assertEqual(set(tickets.mapped("severity")), {"severe"})
        change = tickets[0].severity_change_ids
        self.assertEqual(change.source, "correlation")
        self.assertIn("CABLE-AL-9", change.reason)
        # a later alarm behind the cable joins the incident
        self.send(
            {
                "alarm_id": "CUT-9",
                "raised_at": iso(t0 + 9 * M),
                "element": "cable-al-9",
            }
        )
        self.assertEqual(len(incident.ticket_ids), 4)
        self.assertEqual(self.alarm("CUT-9").ticket_ids, tickets)

    def test_two_lines_behind_an_element_make_no_incident(self):
        t0 = self.now() - 30 * M
        self.send(
            *[
                {
                    "alarm_id": f"TWO-{i}",
                    "raised_at": iso(t0 + i * M),
                    "element": "OLT-AL-7",
                    "port": f"1/1/{i}",
                }
                for i in range(2)
            ]
        )
        tickets = self.env["helpdesk.ticket"].search(
            [("service_line_id", "in", self.lines[:2].ids)]
        )
        self.assertFalse(tickets.incident_id)

    def test_a_policy_may_restore_at_the_clear_once_the_flap_window_passed(self):
        self.policy.alarm_auto_restore = True
        line = self.lines[4]
        t0 = self.now() - 60 * M
        with freeze_time(t0 + 20 * M):
            self.send(self.raise_("AR-1", t0, line), self.clear("AR-1", t0 + 10 * M))
        ticket = self.tickets_of(line)
        self.assertEqual(ticket.sla_policy_id, self.policy)
        intake = self.env["fs.alarm.intake"]
        intake._cron_restore_cleared(now=t0 + 20 * M)
        self.assertFalse(ticket.restored_date, "within the flap window")
        intake._cron_restore_cleared(now=t0 + 26 * M)
        self.assertEqual(ticket.restored_date, t0 + 10 * M)
        self.assertFalse(ticket.closed)

    # ------------------------------------------------------------------
    # the unmatched queue
    # ------------------------------------------------------------------
    def test_a_dispatcher_links_an_unmatched_alarm_to_its_line(self):
        raised = self.now() - 15 * M
        self.send(
            {
                "alarm_id": "UM-1",
                "raised_at": iso(raised),
                "element": "OLT-UNKNOWN",
                "port": "3/3",
            }
        )
        alarm = self.alarm("UM-1")
        self.assertEqual(alarm.match_state, "unmatched")
        action = alarm.with_user(self.dispatcher).action_link_line()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.dispatcher)
            .with_context(action["context"])
        )
        wizard.service_line_id = self.lines[5]
        wizard.save().action_link()
        ticket = self.tickets_of(self.lines[5])
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.reported_date, raised)
        self.assertEqual(alarm.ticket_ids, ticket)
        self.assertEqual(alarm.match_state, "matched")

    def test_an_sla_admin_remembers_the_element_for_the_next_alarms(self):
        admin = new_test_user(
            self.env, "alarm_admin", groups="field_service_sla.group_fs_sla_admin"
        )
        self.send(
            {
                "alarm_id": "UM-2",
                "raised_at": iso(self.now() - 15 * M),
                "element": "olt-new",
                "port": "1/1",
            }
        )
        alarm = self.alarm("UM-2")
        wizard = Form(
            self.env["fs.alarm.link"]
            .with_user(admin)
            .with_context(alarm.action_link_line()["context"])
        )
        wizard.service_line_id = self.lines[5]
        wizard.remember = True
        wizard.save().action_link()
        self.send(
            {
                "alarm_id": "UM-3",
                "raised_at": iso(self.now() - 5 * M),
                "element": "OLT-NEW",
                "port": "1/1",
            }
        )
        self.assertEqual(self.alarm("UM-3").service_line_ids, self.lines[5])
        self.assertEqual(len(self.tickets_of(self.lines[5])), 1)

    def test_a_technician_cannot_link_or_open_and_a_dispatcher_opens_by_hand(self):
        self.send(self.raise_("UM-4", self.now() - 5 * M, circuit_ref="NOWHERE"))
        alarm = self.alarm("UM-4")
        self.assertRpcRefused(
            "alarm_technician", "fs.alarm", "action_open_ticket", alarm.ids
        )
        self.assertRpcRefused(
            "alarm_technician",
            "fs.alarm.link",
            "create",
            {"alarm_ids": [(6, 0, alarm.ids)], "service_line_id": self.lines[5].id},
        )
        self.assertRpcRefused(
            "alarm_dispatcher", "fs.alarm", "write", alarm.ids, {"count": 99}
        )
        self.call("alarm_dispatcher", "fs.alarm", "action_open_ticket", alarm.ids)
        alarm.invalidate_recordset()
        self.assertEqual(alarm.match_state, "manual")
        self.assertEqual(alarm.ticket_ids.reported_date, alarm.raised_at)
        self.assertEqual(
            alarm.ticket_ids.channel_id,
            self.env.ref("field_service_sla.helpdesk_ticket_channel_monitoring"),
        )

    def test_nobody_writes_the_alarm_fields_of_a_ticket(self):
        self.send(self.raise_("G-1", self.now() - 5 * M, self.lines[0]))
        ticket = self.tickets_of(self.lines[0])
        for field, value in (
            ("fs_alarms_cleared_at", "2026-01-01 00:00:00"),
            ("fs_alarm_flap_count", 0),
            ("fs_alarm_element", "X"),
        ):
            self.assertRpcRefused(
                "alarm_dispatcher",
                "helpdesk.ticket",
                "write",
                ticket.ids,
                {field: value},
            )

    def test_a_restore_that_fails_is_left_to_a_person_once_and_the_others_go_on(self):
        self.policy.alarm_auto_restore = True
        t0 = self.now() - 60 * M
        with freeze_time(t0 + 20 * M):
            self.send(
                self.raise_("AF-1", t0, self.lines[0]),
                self.raise_("AF-2", t0, self.lines[1]),
                self.clear("AF-1", t0 + 5 * M),
                self.clear("AF-2", t0 + 5 * M),
            )
        broken, fine = self.tickets_of(self.lines[0]), self.tickets_of(self.lines[1])
        Ticket = type(broken)
        original = Ticket._fs_restore_at_alarm_clear

        def restore(tickets):
            if broken in tickets:
                raise ValueError("calendar broken")
            return original(tickets)

        intake = self.env["fs.alarm.intake"]
        with (
            patch.object(Ticket, "_fs_restore_at_alarm_clear", restore),
            self.assertLogs("odoo.addons.field_service_sla", "ERROR"),
        ):
            intake._cron_restore_cleared(now=t0 + 30 * M)
        self.assertEqual(fine.restored_date, t0 + 5 * M)
        self.assertFalse(broken.restored_date)
        self.assertTrue(broken.fs_alarm_restore_failed)
        self.assertEqual(len(broken.activity_ids), 1)
        self.assertIn("calendar broken", broken.activity_ids.note)
        # the next sweeps leave it to the person: no second activity
        intake._cron_restore_cleared(now=t0 + 31 * M)
        self.assertEqual(len(broken.activity_ids), 1)

    def test_the_desk_gives_one_preliminary_cause_for_an_incidents_tickets(self):
        t0 = self.now() - 10 * M
        self.send(
            *[
                {
                    "alarm_id": f"DG-{i}",
                    "raised_at": iso(t0),
                    "element": "OLT-AL-7",
                    "port": f"1/1/{i}",
                }
                for i in range(4)
            ]
        )
        tickets = self.env["helpdesk.ticket"].search(
            [("service_line_id", "in", self.lines[:4].ids)]
        )
        incident = tickets.incident_id
        tickets[0].diagnosis_date = t0 + 5 * M
        action = incident.with_user(self.technician).action_fs_preliminary_diagnosis()
        dialog = Form(
            self.env["fs.diagnosis.wizard"]
            .with_user(self.technician)
            .with_context(action["context"])
        )
        self.assertEqual(dialog.ticket_count, 4)
        dialog.cause = "Fibre cut between the Jiangbei and Yubei exchanges"
        dialog.save().action_confirm()
        self.assertEqual(
            set(tickets.mapped("fs_preliminary_cause")),
            {"Fibre cut between the Jiangbei and Yubei exchanges"},
        )
        # the one diagnosed already keeps its time; the others reach it now
        self.assertEqual(tickets[0].diagnosis_date, t0 + 5 * M)
        for ticket in tickets[1:]:
            diagnosis = ticket.sla_clock_ids.filtered(lambda c: c.kind == "diagnosis")
            self.assertEqual(diagnosis.state, "met")
        self.assertIn("Fibre cut", incident.message_ids[0].body)

    def test_a_cause_is_required_and_a_helpdesk_user_cannot_give_one(self):
        self.send(self.raise_("DG-9", self.now() - 5 * M, self.lines[5]))
        ticket = self.tickets_of(self.lines[5])
        dialog = Form(
            self.env["fs.diagnosis.wizard"]
            .with_user(self.technician)
            .with_context(ticket.action_fs_preliminary_diagnosis()["context"])
        )
        with self.assertRaises(AssertionError):
            dialog.save()  # the cause is required
        new_test_user(
            self.env, "alarm_helpdesk_user", groups="helpdesk_mgmt.group_helpdesk_user"
        )
        self.assertRpcRefused(
            "alarm_helpdesk_user",
            "fs.diagnosis.wizard",
            "create",
            {"ticket_ids": [(6, 0, ticket.ids)], "cause": "guess"},
        )
        self.assertFalse(ticket.diagnosis_date)

    def test_a_clear_whose_raise_never_comes_is_kept_a_month(self):
        self.send(self.clear("GONE-1", self.now() - 2 * M))
        with freeze_time(self.now() + timedelta(days=29)):
            self.env["fs.alarm.clear"]._gc_pending_clears()
        pending = self.env["fs.alarm.clear"].search([("alarm_ref", "=", "GONE-1")])
        self.assertTrue(pending)
        with freeze_time(self.now() + timedelta(days=31)):
            self.env["fs.alarm.clear"]._gc_pending_clears()
        self.assertFalse(pending.exists())
