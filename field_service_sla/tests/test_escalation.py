from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import sh
from .escalation_common import EscalationCase

START = "【新|影响业务|严重故障|Gold Water Group Line down】2026/03/02 09:00,Alarm"
CLOSE = (
    "【结|影响业务|严重故障|Gold Water Group Line down】"
    "2026/03/02 13:10,业务已恢复，历时4小时10分"
)


@tagged("post_install", "-at_install")
class TestEscalationScenarios(EscalationCase):
    def test_aaa_gold_internet_line_down_at_9_restored_at_13_10(self):
        """Department leaders told at once; a severe fault from 09:30: start
        bulletin, progress at 11:30, the restore deadline missed at 13:00,
        closing bulletin at 13:10; 3 numbers: 9 SMS."""
        ticket = self._ticket(sh(2026, 3, 2, 9, 0), line=self.gold_aaa)
        self.sweep(sh(2026, 3, 2, 9, 0))
        self.assertEqual(
            self.fired(ticket),
            [("Department leaders notified", 0, sh(2026, 3, 2, 9, 0))],
        )
        activity = self.activities(ticket)
        self.assertEqual(activity.user_id, self.head)
        self.assertEqual(
            activity.summary, "AAA fault of a gold customer (due 2026-03-02 10:00)"
        )
        mail = self.env["mail.mail"].search(
            [("model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
        )
        self.assertEqual(mail.recipient_ids, self.head.partner_id)
        self.assertIn("Line down", mail.subject)
        # the ticket's chatter shows the e-mail, not an empty entry
        self.assertTrue(mail.mail_message_id.body)
        self.assertEqual(mail.mail_message_id.body, mail.body_html)
        # next: the restore deadline (the severe ladders do not apply yet)
        self.assertEqual(ticket.escalation_next_check, sh(2026, 3, 2, 13, 0))

        self.make_severe(ticket, sh(2026, 3, 2, 9, 30))
        self.sweep(sh(2026, 3, 2, 9, 30))
        self.assertEqual(
            sorted(self.sms().mapped("body")),
            [START] * 3,
        )
        self.assertEqual(ticket.escalation_next_check, sh(2026, 3, 2, 11, 30))
        self.sweep(sh(2026, 3, 2, 11, 0))
        self.assertEqual(len(self.sms()), 3)
        self.sweep(sh(2026, 3, 2, 11, 30))
        progress = self.sms().filtered(lambda s: s.body.startswith("【续"))
        self.assertEqual(len(progress), 3)
        self.assertTrue(
            progress[0].body.endswith("11:30,故障已持续2小时30分，尚未恢复")
        )
        self.assertEqual(ticket.escalation_next_check, sh(2026, 3, 2, 13, 0))

        self.sweep(sh(2026, 3, 2, 13, 0))
        missed = self.activities(ticket).filtered(
            lambda a: a.summary == "AAA restore deadline missed"
        )
        self.assertEqual(missed.user_id, self.head | self.am)
        # the next progress bulletin would be at 13:30
        self.assertEqual(ticket.escalation_next_check, sh(2026, 3, 2, 13, 30))

        with self.at(sh(2026, 3, 2, 13, 10)):
            ticket.action_sla_restored()
        self.sweep(sh(2026, 3, 2, 13, 10))
        closing = self.sms().filtered(lambda s: s.body.startswith("【结"))
        self.assertEqual(
            set(closing.mapped("body")),
            {CLOSE},
        )
        self.assertEqual(len(self.sms()), 9)
        self.assertEqual(min(self.sms().mapped("number")), "+8613900000001")
        # restored: no progress bulletin, no cross-city escalation at 17:00
        self.assertFalse(ticket.escalation_next_check)
        self.sweep(sh(2026, 3, 2, 17, 30))
        self.assertEqual(
            self.fired(ticket),
            [
                ("Department leaders notified", 0, sh(2026, 3, 2, 9, 0)),
                ("Start bulletin", 0, sh(2026, 3, 2, 9, 30)),
                ("Progress bulletin", 1, sh(2026, 3, 2, 11, 30)),
                ("Restore deadline missed", 0, sh(2026, 3, 2, 13, 0)),
                ("Closing bulletin", 0, sh(2026, 3, 2, 13, 10)),
            ],
        )
        self.assertEqual(ticket.escalation_level, "city")
        history = ticket.escalation_fired_ids.filtered(
            lambda f: f.step_id.name == "Restore deadline missed"
        )
        self.assertIn("Department Head", history.recipients)
        self.assertIn("Account Manager", history.recipients)
        start = ticket.escalation_fired_ids.filtered(
            lambda f: f.step_id.name == "Start bulletin"
        )
        self.assertEqual(start.sms_count, 3)

    def test_storm_of_300_tickets_one_digest_per_recipient_and_channel(self):
        standard = self.env["res.partner"].create(
            {
                "name": "City Water",
                "is_company": True,
                "customer_segment": "enterprise",
                "customer_tier_id": self.env.ref("field_service_sla.tier_standard").id,
            }
        )
        line = self.env["fs.service.line"].create(
            {
                "circuit_ref": "STD-1",
                "partner_id": standard.id,
                "service_type_id": self.internet.id,
                "assurance_level_id": self.level_std.id,
            }
        )
        self.env["fs.escalation.ladder"].create(
            {
                "name": "Storm desk",
                "min_severity": "severe",
                "step_ids": [
                    Command.create(
                        {
                            "name": "Team leader told",
                            "trigger": "severity",
                            "severity": "severe",
                            "activity_role_ids": [
                                Command.set(
                                    self.env.ref(
                                        "field_service_sla.escalation_role_team_leader"
                                    ).ids
                                )
                            ],
                            "activity_type_id": self.env.ref(
                                "field_service_sla.mail_activity_type_escalation"
                            ).id,
                            "mail_template_id": self.env.ref(
                                "field_service_sla.mail_template_escalation_notice"
                            ).id,
                            "mail_role_ids": [
                                Command.set(
                                    self.env.ref(
                                        "field_service_sla.escalation_role_team_leader"
                                    ).ids
                                )
                            ],
                        }
                    )
                ],
            }
        )
        t0 = sh(2026, 3, 2, 9, 0)
        with self.at(t0):
            tickets = self.env["helpdesk.ticket"].create(
                [
                    {
                        "name": f"Outage {n}",
                        "description": "City-wide outage",
                        "team_id": self.team.id,
                        "service_line_id": line.id,
                        "reported_date": t0,
                    }
                    for n in range(300)
                ]
            )
        self.sweep(t0)
        self.make_severe(tickets, sh(2026, 3, 2, 9, 5))
        mails_before = self.env["mail.mail"].search_count([])
        self.sweep(sh(2026, 3, 2, 9, 5))
        sms = self.sms()
        self.assertEqual(len(sms), 3, "one digest SMS per number")
        self.assertTrue(
            sms[0].body.startswith("【严重故障|共300张工单】2026/03/02 09:05,")
        )
        to_leader = self.env["mail.mail"].search(
            [("recipient_ids", "in", self.leader.partner_id.ids)]
        )
        self.assertEqual(len(to_leader), 2, "one activity digest, one e-mail digest")
        self.assertEqual(self.env["mail.mail"].search_count([]) - mails_before, 2)
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "in", tickets.ids)]
        )
        self.assertEqual(len(activities), 300)
        history = self.env["fs.escalation.fired"].search(
            [("ticket_id", "in", tickets.ids)]
        )
        self.assertEqual(len(history), 600, "each ticket records both steps")
        self.assertTrue(all(history.mapped("digest")))
        self.assertEqual(
            set(tickets[0].escalation_fired_ids.step_id.mapped("name")),
            {"Start bulletin", "Team leader told"},
        )

    def test_reclassified_after_two_steps_keeps_them_and_continues(self):
        ticket = self._ticket(sh(2026, 3, 2, 9, 0), line=self.gold_aa)
        self.sweep(sh(2026, 3, 2, 9, 0))
        self.sweep(sh(2026, 3, 2, 17, 0))  # AA restore deadline: 8 h
        self.assertEqual(
            [name for name, _o, _at in self.fired(ticket)],
            ["Team lead notified", "Restore deadline missed"],
        )
        # the line was AAA: 4 h from 09:00, long missed
        with self.at(sh(2026, 3, 2, 17, 30)):
            ticket.service_line_id = self.gold_aaa
        self.sweep(sh(2026, 3, 2, 17, 30))
        aa = "AA notification dispatch (gold customers)"
        aaa = "AAA notification dispatch (gold customers)"
        history = [
            (f.step_id.ladder_id.name, f.step_id.name, f.fired_at)
            for f in ticket.escalation_fired_ids.sorted("id")
        ]
        self.assertEqual(
            history,
            [
                (aa, "Team lead notified", sh(2026, 3, 2, 9, 0)),
                (aa, "Restore deadline missed", sh(2026, 3, 2, 17, 0)),
                (aaa, "Department leaders notified", sh(2026, 3, 2, 17, 30)),
                (aaa, "Restore deadline missed", sh(2026, 3, 2, 17, 30)),
            ],
        )
        # back to AA: its steps fired already, nothing fires twice
        with self.at(sh(2026, 3, 2, 18, 0)):
            ticket.service_line_id = self.gold_aa
        self.sweep(sh(2026, 3, 2, 18, 0))
        self.sweep(sh(2026, 3, 3, 9, 0))
        self.assertEqual(len(ticket.escalation_fired_ids), 4, self.fired(ticket))
        # AA: the team leader twice; AAA: department head, then head and AM
        self.assertEqual(len(self.activities(ticket)), 5)

    def test_severe_fault_of_a_diamond_customer_goes_to_the_province_at_once(self):
        ticket = self._ticket(sh(2026, 3, 2, 9, 0))
        self.sweep(sh(2026, 3, 2, 9, 0))
        self.assertEqual(ticket.escalation_level, "city")
        self.make_severe(ticket, sh(2026, 3, 2, 9, 30))
        self.sweep(sh(2026, 3, 2, 9, 30))
        self.assertEqual(ticket.escalation_level, "province")
        self.assertEqual(ticket.name, "【集团客户严重故障】Line down")
        self.assertLessEqual((self.am | self.nm).partner_id, ticket.message_partner_ids)
        self.assertIn(
            "escalated to the province at once",
            " ".join(ticket.message_ids.mapped("body")),
        )

    def test_green_channel_customer_gets_the_green_channel_tag(self):
        self.customer.green_channel = True
        ticket = self._ticket(sh(2026, 3, 2, 9, 0))
        self.make_severe(ticket, sh(2026, 3, 2, 9, 30))
        self.sweep(sh(2026, 3, 2, 9, 30))
        self.assertEqual(ticket.name, "【绿色通道严重故障】Line down")

    def test_cross_city_line_goes_to_the_province_after_8_h_paused_time_excluded(self):
        standard = self.env["res.partner"].create(
            {
                "name": "Transit Corp",
                "is_company": True,
                "customer_segment": "enterprise",
                "customer_tier_id": self.env.ref("field_service_sla.tier_standard").id,
            }
        )
        line = self.env["fs.service.line"].create(
            {
                "circuit_ref": "XC-1",
                "partner_id": standard.id,
                "service_type_id": self.internet.id,
                "assurance_level_id": self.level_std.id,
                "cross_city": True,
            }
        )
        ticket = self._ticket(sh(2026, 3, 2, 9, 0), line=line)
        self.make_severe(ticket, sh(2026, 3, 2, 9, 0))
        self.sweep(sh(2026, 3, 2, 9, 0))
        engine = self.env["fs.sla.engine"]
        with self.at(sh(2026, 3, 2, 10, 0)):
            engine._pause(ticket, self.wait_customer)
        with self.at(sh(2026, 3, 2, 12, 0)):
            engine._resume(ticket)
        self.sweep(sh(2026, 3, 2, 17, 0))
        self.assertEqual(ticket.escalation_level, "city")
        self.sweep(sh(2026, 3, 2, 19, 0))
        self.assertEqual(ticket.escalation_level, "province")
        self.assertEqual(ticket.name, "【集团客户严重故障】Line down")

    def test_city_requests_province_escalation(self):
        ticket = self._ticket(sh(2026, 3, 2, 9, 0), line=self.gold_aa)
        with self.at(sh(2026, 3, 2, 10, 0)):
            ticket.with_user(self.leader).action_request_province_escalation()
        self.assertEqual(ticket.escalation_level, "province")
        self.assertEqual(ticket.escalation_requested_date, sh(2026, 3, 2, 10, 0))
        self.assertEqual(ticket.name, "【集团客户一般故障】Line down")
        fired = ticket.escalation_fired_ids.filtered(lambda f: f.trigger == "manual")
        self.assertEqual(len(fired), 1)
        self.assertIn("Escalated to the province", fired.actions)
        with self.assertRefused(UserError, "still handled by the city"):
            ticket.with_user(self.leader).action_request_province_escalation()
        self.assertEqual(len(ticket.escalation_fired_ids), 2)

    def test_province_request_without_a_ladder_is_refused_and_changes_nothing(self):
        self.env.ref(
            "field_service_sla.escalation_ladder_province_request"
        ).active = False
        ticket = self._ticket(sh(2026, 3, 2, 9, 0), line=self.gold_aa)
        with self.assertRefused(UserError, "No active escalation ladder"):
            ticket.with_user(self.leader).action_request_province_escalation()
        self.assertEqual(ticket.escalation_level, "city")
        self.assertFalse(ticket.escalation_requested_date)
        self.assertFalse(ticket.escalation_fired_ids)

    def test_technicians_cannot_request_an_escalation(self):
        tech = self.env["res.users"].create(
            {
                "name": "Tech",
                "login": "esc_tech",
                "group_ids": [
                    Command.set(
                        [self.env.ref("field_service_sla.group_fs_technician").id]
                    )
                ],
            }
        )
        self.team.user_ids = [Command.link(tech.id)]
        ticket = self._ticket(sh(2026, 3, 2, 9, 0), line=self.gold_aa)
        with self.assertRefused(UserError, "Only a dispatcher"):
            ticket.with_user(tech).action_request_province_escalation()
        self.assertEqual(ticket.escalation_level, "city")

    def test_closed_fault_gets_a_call_back_for_the_dispatching_team(self):
        ticket = self._ticket(sh(2026, 3, 2, 9, 0), line=self.gold_aa)
        self.sweep(sh(2026, 3, 2, 9, 0))
        with self.at(sh(2026, 3, 2, 15, 0)):
            ticket.stage_id = self.stage_done
        self.sweep(sh(2026, 3, 2, 15, 0))
        callback = self.activities(ticket).filtered(
            lambda a: (
                a.activity_type_id
                == self.env.ref("field_service_sla.mail_activity_type_callback")
            )
        )
        self.assertEqual(callback.user_id, self.shift)
        self.assertEqual(
            callback.summary, "Call the customer back (due 2026-03-03 15:00)"
        )
        self.assertEqual(str(callback.date_deadline), "2026-03-03")

    def test_history_is_read_only_and_visible_with_the_ticket(self):
        ticket = self._ticket(sh(2026, 3, 2, 9, 0), line=self.gold_aaa)
        self.sweep(sh(2026, 3, 2, 9, 0))
        fired = ticket.escalation_fired_ids.with_user(self.leader)
        self.assertTrue(fired.actions)
        with self.assertRaises(AccessError):
            fired.write({"actions": "nothing"})
        with self.assertRaises(AccessError):
            fired.unlink()

    def test_the_sweep_is_a_cron_on_an_indexed_column(self):
        cron = self.env.ref("field_service_sla.ir_cron_escalate")
        self.assertTrue(cron.active)
        self.assertEqual(cron.interval_type, "minutes")
        # the next check of each ticket is a row of a narrow table of its
        # own, indexed, not a column of the wide ticket table
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'fs_escalation_check'"
            " AND indexdef LIKE '%%(next_check)%%'"
        )
        self.assertTrue(self.env.cr.fetchall())
        self.env.cr.execute(
            "SELECT 1 FROM information_schema.columns"
            " WHERE table_name = 'helpdesk_ticket'"
            " AND column_name = 'escalation_next_check'"
        )
        self.assertFalse(self.env.cr.fetchall())


@tagged("post_install", "-at_install")
class TestEscalationBookkeeping(EscalationCase):
    def test_next_check_is_read_and_searched_from_its_own_table(self):
        Ticket = self.env["helpdesk.ticket"]
        ticket = self._ticket(sh(2026, 3, 2, 9, 0), line=self.gold_aaa)
        self.assertEqual(ticket.escalation_next_check, sh(2026, 3, 2, 9, 0))
        self.assertIn(
            ticket, Ticket.search([("escalation_next_check", "<=", sh(2026, 3, 2, 9))])
        )
        self.sweep(sh(2026, 3, 2, 9, 0))
        self.assertEqual(ticket.escalation_next_check, sh(2026, 3, 2, 13, 0))
        for domain, found in (
            ([("escalation_next_check", "<=", sh(2026, 3, 2, 9))], False),
            ([("escalation_next_check", ">", sh(2026, 3, 2, 12))], True),
            ([("escalation_next_check", "=", sh(2026, 3, 2, 13))], True),
            ([("escalation_next_check", "=", False)], False),
            ([("escalation_next_check", "!=", False)], True),
        ):
            self.assertEqual(ticket in Ticket.search(domain), found, domain)
        # a ticket without a row (written around the ORM) has no next check
        # until something marks it, and is then due
        self.env.cr.execute(
            "DELETE FROM fs_escalation_check WHERE ticket_id = %s", [ticket.id]
        )
        ticket.invalidate_recordset(["escalation_next_check"])
        self.assertFalse(ticket.escalation_next_check)
        self.assertIn(ticket, Ticket.search([("escalation_next_check", "=", False)]))
        with self.at(sh(2026, 3, 2, 10, 0)):
            self.engine._mark(ticket.ids)
        self.assertEqual(ticket.escalation_next_check, sh(2026, 3, 2, 10, 0))

    def test_queued_mails_are_those_mail_mail_create_makes(self):
        """The sweep queues its e-mails in one statement: the rows are the
        ones the ORM makes for the same values, and the mail queue is woken
        (its own run is hourly)."""
        ticket = self._ticket(sh(2026, 3, 2, 9, 0), line=self.gold_aaa)
        partner = self.am.partner_id
        cron = self.env.ref("mail.ir_cron_mail_scheduler_action")
        Trigger = self.env["ir.cron.trigger"].sudo()
        triggers = Trigger.search_count([("cron_id", "=", cron.id)])
        Mail = self.env["mail.mail"].sudo()
        actions = self.env["fs.escalation.actions"]._for_batch()
        values = [
            ("Escalated", "<p>One ticket</p>", ticket.id),
            ("Escalation: 2 tickets", "<ul><li>a</li><li>b</li></ul>", False),
        ]
        with self.at(sh(2026, 3, 2, 9, 5)):
            before = Mail.search([]).ids
            actions._queue_mails(
                [
                    {
                        "partner_id": partner.id,
                        "subject": s,
                        "body_html": b,
                        "res_id": r,
                    }
                    for s, b, r in values
                ]
            )
            ours = Mail.search([("id", "not in", before)], order="id")
            orm = Mail.create(
                [
                    {
                        "subject": s,
                        "body_html": b,
                        # as mail.template gives it: the chatter shows the mail
                        "body": b,
                        "recipient_ids": [Command.link(partner.id)],
                        "auto_delete": True,
                        **({"model": "helpdesk.ticket", "res_id": r} if r else {}),
                    }
                    for s, b, r in values
                ]
            )
        self.assertEqual(len(ours), 2)
        compared = [
            "subject", "body_html", "body", "state", "auto_delete", "recipient_ids",
            "model", "res_id", "message_type", "author_id", "email_from",
            "reply_to", "email_add_signature", "is_notification", "scheduled_date",
            "date", "record_company_id", "subtype_id", "is_internal", "create_uid",
        ]  # fmt: skip
        self.assertEqual(
            [_without_id(row) for row in ours.read(compared)],
            [_without_id(row) for row in orm.read(compared)],
        )
        self.assertEqual(
            [m.message_id.split("-", 1)[1] for m in ours],
            [m.message_id.split("-", 1)[1] for m in orm],
        )
        self.assertGreater(Trigger.search_count([("cron_id", "=", cron.id)]), triggers)


def _without_id(row):
    return {name: value for name, value in row.items() if name != "id"}
