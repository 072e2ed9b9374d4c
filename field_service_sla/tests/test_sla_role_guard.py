"""What a careless or dishonest user tries over JSON-RPC against the pauses,
the times, the severity and the escalation of a ticket (issue 15, items
7-10): refused with a clear error, nothing changed."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .roles_common import RoleRpcCase


@tagged("post_install", "-at_install")
class TestSlaRoleGuard(RoleRpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.closed_reason = cls.env.ref("field_service_sla.pause_reason_ticket_closed")
        # a ticket of another team, worked by someone else: the technician
        # reads neither it nor its pauses
        cls.foreign_team = cls.env["helpdesk.ticket.team"].create(
            {"name": "Foreign team"}
        )

    def foreign_ticket(self):
        return self.new_ticket(team_id=self.foreign_team.id, user_id=self.assignee.id)

    def pause_values(self, ticket, **values):
        now = fields.Datetime.to_string(fields.Datetime.now())
        return {
            "ticket_id": ticket.id,
            "reason_id": self.closed_reason.id,
            "origin": "closed",
            "start_date": now,
            **values,
        }

    # item 7: pauses -------------------------------------------------------
    def test_no_role_creates_or_edits_a_pause_directly(self):
        ticket, foreign = self.new_ticket(), self.foreign_ticket()
        for role in ("technician", "dispatcher", "sla_admin", "portal"):
            for target in (ticket, foreign):
                with self.subTest(role=role, ticket=target.name):
                    self.assertRpcRefused(
                        self.login(role),
                        "fs.sla.pause",
                        "create",
                        [self.pause_values(target, user_id=self.assignee.id)],
                    )
        # nor through the ticket's list of pauses
        self.assertRpcRefused(
            self.login("technician"),
            "helpdesk.ticket",
            "write",
            ticket.ids,
            {"sla_pause_ids": [(0, 0, self.pause_values(ticket))]},
        )
        self.assertFalse((ticket | foreign).sla_pause_ids)
        self.assertFalse(ticket.sla_paused)
        # whatever the access rights say, the model asks for the engine
        with self.assertRaisesRegex(AccessError, "not edited by hand"):
            self.env["fs.sla.pause"].with_user(self.users["sla_admin"]).create(
                [self.pause_values(ticket)]
            )

    def test_a_technician_cannot_back_date_or_reassign_a_pause(self):
        ticket = self.new_ticket()
        self.env["fs.sla.engine"]._pause(ticket, self.wait_customer)
        pause = ticket.sla_pause_ids
        start = pause.start_date
        for values in (
            {"start_date": fields.Datetime.to_string(start - timedelta(days=2))},
            {"end_date": fields.Datetime.to_string(start + timedelta(hours=5))},
            {"user_id": self.assignee.id},
            {"reason_id": self.closed_reason.id},
        ):
            with self.subTest(values=values):
                self.assertRpcRefused(
                    self.login("technician"), "fs.sla.pause", "write", pause.ids, values
                )
        pause.invalidate_recordset()
        self.assertEqual(pause.start_date, start)
        self.assertFalse(pause.end_date)
        self.assertEqual(pause.reason_id, self.wait_customer)
        self.assertRpcRefused(
            self.login("technician"), "fs.sla.pause", "unlink", pause.ids
        )

    def test_pauses_are_read_with_their_ticket(self):
        mine, foreign = self.new_ticket(), self.foreign_ticket()
        self.env["fs.sla.engine"]._pause(mine | foreign, self.wait_customer)
        found = self.call(
            self.login("technician"),
            "fs.sla.pause",
            "search_read",
            [("ticket_id", "in", (mine | foreign).ids)],
            ["ticket_id"],
        )
        self.assertEqual([r["ticket_id"][0] for r in found], mine.ids)
        self.assertRpcRefused(
            self.login("technician"),
            "fs.sla.pause",
            "read",
            foreign.sla_pause_ids.ids,
            ["start_date"],
        )
        # a dispatcher reads every ticket, and so every pause
        found = self.call(
            self.login("dispatcher"),
            "fs.sla.pause",
            "search_count",
            [("ticket_id", "in", (mine | foreign).ids)],
        )
        self.assertEqual(found, 2)

    def test_every_role_reads_exactly_the_pauses_of_the_tickets_it_reads(self):
        user_own = new_test_user(
            self.env, login="rpc_own", groups="helpdesk_mgmt.group_helpdesk_user_own"
        )
        user_team = new_test_user(
            self.env, login="rpc_team", groups="helpdesk_mgmt.group_helpdesk_user_team"
        )
        self.team.user_ids |= user_own | user_team
        followed = self.foreign_ticket()
        followed.message_subscribe(partner_ids=user_own.partner_id.ids)
        tickets = (
            self.new_ticket()
            | self.new_ticket(user_id=self.users["technician"].id)
            | self.new_ticket(user_id=user_own.id)
            | self.foreign_ticket()
            | self.new_ticket(team_id=False)
            | followed
        )
        self.env["fs.sla.engine"]._pause(tickets, self.wait_customer)
        users = [*self.users.values(), user_own, user_team]
        for user in users:
            if user.has_group("base.group_portal"):
                continue
            with self.subTest(user=user.login):
                env = self.env(user=user)
                readable = env["helpdesk.ticket"].search([("id", "in", tickets.ids)])
                pauses = env["fs.sla.pause"].search([("ticket_id", "in", tickets.ids)])
                self.assertEqual(set(pauses.ticket_id.ids), set(readable.ids))
                self.assertTrue(readable)

    def test_technician_pauses_and_resumes_through_the_engine(self):
        ticket = self.new_ticket()
        login = self.login("technician")
        context = {"active_ids": ticket.ids, "active_model": "helpdesk.ticket"}
        wizard = self.call(
            login,
            "fs.sla.pause.wizard",
            "create",
            [{"reason_id": self.wait_customer.id, "note": "Customer away"}],
            context=context,
        )
        self.call(login, "fs.sla.pause.wizard", "action_pause", wizard, context=context)
        ticket.invalidate_recordset()
        pause = ticket.sla_pause_ids
        self.assertEqual(
            (pause.reason_id, pause.origin, pause.user_id, pause.end_date),
            (self.wait_customer, "manual", self.users["technician"], False),
        )
        self.call(login, "helpdesk.ticket", "action_sla_resume", ticket.ids)
        pause.invalidate_recordset()
        self.assertTrue(pause.end_date)
        # a stage that pauses: the engine opens the stage's pause
        reason = self.env.ref("field_service_sla.pause_reason_waiting_customer")
        self.stage_awaiting.sla_pause_reason_id = reason
        stage = {"stage_id": self.stage_awaiting.id}
        self.call(login, "helpdesk.ticket", "write", ticket.ids, stage)
        ticket.invalidate_recordset()
        self.assertTrue(ticket.sla_pause_ids.filtered(lambda p: p.origin == "stage"))

    def test_the_pause_dialog_refuses_a_system_reason_and_a_foreign_ticket(self):
        ticket, foreign = self.new_ticket(), self.foreign_ticket()
        login = self.login("technician")
        for target, reason, message in (
            (ticket, self.closed_reason, "not a reason to pause by hand"),
            (foreign, self.wait_customer, ""),
        ):
            context = {"active_ids": target.ids, "active_model": "helpdesk.ticket"}
            wizard = self.call(
                login,
                "fs.sla.pause.wizard",
                "create",
                [{"reason_id": reason.id}],
                context=context,
            )
            error = self.assertRpcRefused(
                login, "fs.sla.pause.wizard", "action_pause", wizard, context=context
            )
            self.assertIn(message, error.message)
        self.assertFalse((ticket | foreign).sla_pause_ids)
        self.env["fs.sla.engine"]._pause(foreign, self.wait_customer)
        self.assertRpcRefused(
            login, "helpdesk.ticket", "action_sla_resume", foreign.ids
        )
        self.assertFalse(foreign.sla_pause_ids.end_date)

    # item 8: fields only the engines write --------------------------------
    def test_engine_fields_are_refused_in_create_write_and_copy(self):
        ticket = self.new_ticket()
        login = self.login("technician")
        now = fields.Datetime.to_string(fields.Datetime.now())
        base = {
            "name": "Forged",
            "description": "x",
            "team_id": self.team.id,
            "service_line_id": self.line_aaa.id,
        }
        for values in (
            {"report_date": now},
            {"escalation_requested_date": now},
            {"escalation_level": "province"},
        ):
            with self.subTest(values=values):
                error = self.assertRpcRefused(
                    login, "helpdesk.ticket", "write", ticket.ids, values
                )
                self.assertIn("not by hand", error.message)
                self.assertRpcRefused(
                    login, "helpdesk.ticket", "create", [{**base, **values}]
                )
                self.assertRpcRefused(
                    login, "helpdesk.ticket", "copy", ticket.ids, default=values
                )
                key = f"default_{next(iter(values))}"
                self.assertRpcRefused(
                    login,
                    "helpdesk.ticket",
                    "create",
                    [base],
                    context={key: next(iter(values.values()))},
                )
        ticket.invalidate_recordset()
        self.assertFalse(ticket.report_date)
        self.assertFalse(ticket.escalation_requested_date)
        self.assertEqual(ticket.escalation_level, "city")
        self.assertFalse(self.env["helpdesk.ticket"].search([("name", "=", "Forged")]))
        report = ticket.sla_clock_ids.filtered(lambda c: c.kind == "report")
        self.assertNotEqual(report.state, "met")
        # a plain copy and a plain create stay possible
        self.call(login, "helpdesk.ticket", "copy", ticket.ids)
        self.call(login, "helpdesk.ticket", "create", [base])

    def test_an_order_is_linked_only_to_a_ticket_its_user_may_work(self):
        """Check-in and the result "restored" stamp the order's ticket: a
        technician's order cannot be pointed at someone else's ticket."""
        mine, foreign = self.new_ticket(), self.foreign_ticket()
        worker = self.env["fsm.person"].create(
            {"partner_id": self.users["technician"].partner_id.id}
        )
        location = self.env["fsm.location"].create(
            {"name": "Room 301", "owner_id": self.customer.id}
        )
        order = self.env["fsm.order"].create(
            {"ticket_id": mine.id, "location_id": location.id, "person_id": worker.id}
        )
        login = self.login("technician")
        self.assertRpcRefused(
            login, "fsm.order", "write", order.ids, {"ticket_id": foreign.id}
        )
        self.assertRpcRefused(
            login,
            "fsm.order",
            "create",
            [
                {
                    "ticket_id": foreign.id,
                    "location_id": location.id,
                    "person_id": worker.id,
                    "fs_work_result": "restored",
                }
            ],
        )
        self.assertRpcRefused(
            login, "fsm.order", "copy", order.ids, default={"ticket_id": foreign.id}
        )
        self.assertEqual(order.ticket_id, mine)
        self.assertFalse(foreign.restored_date)
        self.assertFalse(self.env["fsm.order"].search([("ticket_id", "=", foreign.id)]))
        # the order's own ticket: restoring stamps it
        restored = {"fs_work_result": "restored"}
        self.call(login, "fsm.order", "write", order.ids, restored)
        mine.invalidate_recordset()
        self.assertTrue(mine.restored_date)

    # item 9: dispatching is a membership ---------------------------------
    def test_plain_helpdesk_user_does_not_dispatch(self):
        ticket = self.new_ticket()
        login = self.login("helpdesk_user")
        [read] = self.call(
            login, "helpdesk.ticket", "read", ticket.ids, ["sla_can_dispatch"]
        )
        self.assertFalse(read["sla_can_dispatch"])
        self.assertRpcRefused(
            login, "helpdesk.ticket", "write", ticket.ids, {"priority": "3"}
        )
        self.assertRpcRefused(
            login, "helpdesk.ticket", "write", ticket.ids, {"severity": "severe"}
        )
        self.assertRpcRefused(
            login,
            "helpdesk.ticket",
            "write",
            ticket.ids,
            {"severity_excluded": True},
            context={"fs_severity_reason": "not ours"},
        )
        self.assertRpcRefused(
            login, "helpdesk.ticket", "action_request_province_escalation", ticket.ids
        )
        context = {"default_ticket_ids": ticket.ids, "default_action": "raise"}
        self.assertRpcRefused(
            login,
            "fs.severity.wizard",
            "create",
            [{"reason": "unknown cause"}],
            context=context,
        )
        ticket.invalidate_recordset()
        self.assertEqual(
            (ticket.priority, ticket.severity, ticket.severity_excluded),
            ("1", "general", False),
        )
        self.assertFalse(ticket.escalation_requested_date)

    def test_helpdesk_manager_dispatches(self):
        new_test_user(
            self.env,
            login="rpc_helpdesk_manager",
            groups="helpdesk_mgmt.group_helpdesk_manager",
        )
        ticket = self.new_ticket()
        self.call(
            "rpc_helpdesk_manager",
            "helpdesk.ticket",
            "write",
            ticket.ids,
            {"priority": "3"},
        )
        self.assertEqual(ticket.priority, "3")

    # item 10: a context key is no correction --------------------------------
    def test_a_correction_needs_the_dialog_and_its_reason(self):
        ticket = self.new_ticket()
        restored = ticket.reported_date + timedelta(minutes=20)
        ticket.restored_date = restored
        messages = len(ticket.message_ids)
        later = fields.Datetime.to_string(restored + timedelta(minutes=10))
        for role in ("technician", "dispatcher", "sla_admin"):
            with self.subTest(role=role):
                error = self.assertRpcRefused(
                    self.login(role),
                    "helpdesk.ticket",
                    "write",
                    ticket.ids,
                    {"restored_date": later},
                    context={"fs_sla_correction": True},
                )
                self.assertIn("Correct SLA times", error.message)
                self.assertRpcRefused(
                    self.login(role),
                    "helpdesk.ticket",
                    "_sla_correct_times",
                    ticket.ids,
                    {"restored_date": later},
                    "no dialog",
                )
        ticket.invalidate_recordset()
        self.assertEqual(ticket.restored_date, restored)
        self.assertEqual(len(ticket.message_ids), messages)
        # the dialog corrects, with its reason, and says so in the chatter
        login = self.login("dispatcher")
        context = {"default_ticket_id": ticket.id}
        wizard = self.call(
            login,
            "fs.sla.time.correction",
            "create",
            [{"reason": "Restored at the second test", "restored_date": later}],
            context=context,
        )
        self.call(login, "fs.sla.time.correction", "action_apply", wizard)
        ticket.invalidate_recordset()
        self.assertEqual(ticket.restored_date, fields.Datetime.to_datetime(later))
        self.assertIn(
            "Restored at the second test", "".join(ticket.message_ids.mapped("body"))
        )
