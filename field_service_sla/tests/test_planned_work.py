from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import sh
from .escalation_common import EscalationCase

# the planner works on 2026-03-02 (Shanghai); the window is the night of the
# 6th to the 7th, 01:00 to 05:00: four days ahead
PLANNING = sh(2026, 3, 2, 10)
START, END = sh(2026, 3, 7, 1), sh(2026, 3, 7, 5)


@tagged("post_install", "-at_install")
class PlannedWorkCase(EscalationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.planner = new_test_user(
            cls.env,
            login="pw_dispatcher",
            groups="field_service_sla.group_fs_dispatcher",
            tz="Asia/Shanghai",
        )
        cls.technician = new_test_user(
            cls.env,
            login="pw_technician",
            groups="field_service_sla.group_fs_technician",
            tz="Asia/Shanghai",
        )
        cls.admin = new_test_user(
            cls.env,
            login="pw_sla_admin",
            groups="field_service_sla.group_fs_sla_admin",
            tz="Asia/Shanghai",
        )
        # the customers' people: an e-mail and a mobile each
        cls.env["res.partner"].create(
            [
                {
                    "name": "Li Na",
                    "parent_id": cls.customer.id,
                    "email": "li.na@water.example.com",
                    "phone": "138 0013 8000",
                },
                {
                    "name": "Wang Fang",
                    "parent_id": cls.gold_customer.id,
                    "email": "wang.fang@gold.example.com",
                    "phone": "13900139000",
                },
            ]
        )
        # plain customers (neither important nor with cross-city lines): the
        # three days' notice applies
        cls.plain = cls.env["res.partner"].create(
            {
                "name": "Plain Bakery",
                "is_company": True,
                "customer_segment": "enterprise",
            }
        )
        cls.plain_line = cls.env["fs.service.line"].create(
            {
                "circuit_ref": "P-1",
                "partner_id": cls.plain.id,
                "service_type_id": cls.internet.id,
                "assurance_level_id": cls.aaa.id,
            }
        )
        cls.env["res.partner"].create(
            {"name": "Zhao Lei", "parent_id": cls.plain.id, "phone": "13700137000"}
        )

    def new_work(self, user=None, lines=None, start=START, end=END, **values):
        """A planned work saved through its form, as the planner's client."""
        env = self.env(user=user or self.planner)
        with freeze_time(PLANNING):
            with Form(env["fs.planned.work"]) as form:
                form.name = values.pop("name", "Core router upgrade")
                form.reason = values.pop("reason", "New software on the core router")
                form.date_start = start
                form.date_end = end
                for name, value in values.items():
                    setattr(form, name, value)
                for line in lines if lines is not None else (self.plain_line,):
                    with form.line_ids.new() as row:
                        row.service_line_id = line
            return form.record

    def sms(self, work, number):
        """The SMS about ``work`` to ``number`` (the database may hold the
        demo's notices to the same numbers)."""
        return self.env["sms.sms"].search(
            [("number", "=", number), ("body", "like", work.reference)]
        )

    def notify(self, work, at=PLANNING):
        with freeze_time(at):
            work.with_user(work.env.user).action_notify()


@tagged("post_install", "-at_install")
class TestPlannedWorkNotice(PlannedWorkCase):
    def test_notify_tells_every_customer_by_mail_and_sms(self):
        work = self.new_work(lines=(self.plain_line,))
        self.assertEqual(work.state, "draft")
        self.assertRegex(work.reference, r"^GJ2026\d{4}$")
        wizard = Form(
            self.env["fs.planned.work.add.lines"]
            .with_user(self.planner)
            .with_context(default_planned_work_id=work.id)
        )
        wizard.mode = "customer"
        wizard.partner_ids.add(self.customer)
        wizard.expected_minutes = 20
        wizard.save().action_add()
        self.assertEqual(
            set(work.line_ids.service_line_id.mapped("circuit_ref")),
            {"P-1", "T-AAA-1", "T-AA-1"},
        )
        # a diamond customer is an important one: seven days' notice
        self.assertEqual(work.notice_days, 7)
        with self.assertRefused(UserError, "7 days before the window"):
            self.notify(work)
        self.assertEqual(work.state, "draft")
        self.assertFalse(work.notice_ids)
        self.notify(work, at=PLANNING - timedelta(days=4))
        self.assertEqual(work.state, "notified")
        self.assertEqual(len(work.notice_ids), 2)
        water = work.notice_ids.filtered(lambda n: n.partner_id == self.customer)
        self.assertEqual((water.email_count, water.sms_count), (1, 1))
        self.assertEqual(water.line_count, 2)
        mail = self.env["mail.mail"].search(
            [("model", "=", "fs.planned.work.notice"), ("res_id", "=", water.id)]
        )
        self.assertEqual(mail.recipient_ids.email, "li.na@water.example.com")
        self.assertIn("T-AAA-1", mail.body_html)
        sms = self.sms(work, "+8613800138000")
        self.assertEqual(len(sms), 1)
        self.assertIn("【割接通知】", sms.body)
        self.assertIn("03/07 01:00", sms.body)  # Shanghai time
        bakery = work.notice_ids - water
        self.assertEqual((bakery.email_count, bakery.sms_count), (0, 1))
        self.assertIn("2 customers told of 3 lines", work.message_ids[0].body)

    def test_add_lines_by_network_element_takes_downstream_lines(self):
        Element = self.env["fs.network.element"]
        olt = Element.create({"name": "OLT-1"})
        port = Element.create({"name": "OLT-1-PON-3", "upstream_id": olt.id})
        self.env["fs.network.mapping"].create(
            [
                {"element_id": port.id, "service_line_id": self.line_aaa.id},
                {"element_id": olt.id, "service_line_id": self.plain_line.id},
            ]
        )
        work = self.new_work(lines=())
        wizard = Form(
            self.env["fs.planned.work.add.lines"]
            .with_user(self.planner)
            .with_context(default_planned_work_id=work.id)
        )
        wizard.mode = "element"
        wizard.element_ids.add(olt)
        wizard.save().action_add()
        self.assertEqual(work.line_ids.service_line_id, self.line_aaa | self.plain_line)

    def test_emergency_is_notified_at_once_with_its_reason(self):
        work = self.new_work(
            start=PLANNING + timedelta(hours=2),
            end=PLANNING + timedelta(hours=4),
            emergency=True,
            emergency_reason="Fibre cut on the backbone",
        )
        self.notify(work)
        self.assertEqual(work.state, "notified")
        sms = self.sms(work, "+8613700137000")
        self.assertIn("【紧急割接通知】", sms.body)

    def test_cancel_after_notice_tells_customers(self):
        work = self.new_work()
        self.notify(work)
        with freeze_time(PLANNING):
            work.with_user(self.planner).action_cancel()
        self.assertEqual(work.state, "cancelled")
        texts = self.sms(work, "+8613700137000")
        self.assertEqual(len(texts), 2)
        self.assertTrue(any("【割接取消】" in t.body for t in texts))


@tagged("post_install", "-at_install")
class TestPlannedWorkBadInput(PlannedWorkCase):
    def test_window_ending_before_it_starts(self):
        with self.assertRefused(ValidationError, "must end after it starts"):
            self.new_work(start=END, end=START)
        self.assertFalse(
            self.env["fs.planned.work"].search([("name", "=", "Core router upgrade")])
        )

    def test_window_longer_than_the_maximum(self):
        with self.assertRefused(ValidationError, "at most 12 hours"):
            self.new_work(end=START + timedelta(hours=13))
        self.company.fs_planned_max_hours = 24
        self.assertTrue(self.new_work(end=START + timedelta(hours=13)))

    def test_no_affected_line(self):
        work = self.new_work(lines=())
        with self.assertRefused(UserError, "add the affected service lines"):
            self.notify(work)
        self.assertEqual(work.state, "draft")

    def test_notice_too_late_without_emergency(self):
        work = self.new_work(start=sh(2026, 3, 4, 1), end=sh(2026, 3, 4, 5))
        with self.assertRefused(UserError, "3 days before the window"):
            self.notify(work)
        self.assertEqual(work.state, "draft")
        self.assertFalse(self.sms(work, "+8613700137000"))

    def test_emergency_needs_its_reason(self):
        work = self.new_work(start=sh(2026, 3, 2, 20), end=sh(2026, 3, 2, 22))
        work.with_user(self.planner).emergency = True
        with self.assertRefused(UserError, "emergency cutover needs its reason"):
            self.notify(work)
        with self.assertRefused(UserError, "already started"):
            work.with_user(self.planner).write(
                {
                    "emergency_reason": "Fibre cut",
                    "date_start": sh(2026, 3, 2, 9),
                    "date_end": sh(2026, 3, 2, 12),
                }
            )
            self.notify(work)

    def test_overlap_needs_an_admins_reason(self):
        first = self.new_work()
        self.notify(first)
        second = self.new_work(
            name="Power work",
            start=START + timedelta(hours=2),
            end=END + timedelta(hours=2),
        )
        self.assertEqual(second.conflict_ids, first)
        self.assertIn("P-1", second.conflict_note)
        with self.assertRefused(UserError, "overlaps announced planned works"):
            self.notify(second)
        with self.assertRaises(AccessError):
            second.with_user(self.planner).override_reason = "ok"
        with Form(second.with_user(self.admin)) as form:
            form.override_reason = "Same crew, one visit"
        self.notify(second)
        self.assertEqual(second.state, "notified")

    def test_state_and_announced_window_are_not_written(self):
        work = self.new_work()
        with self.assertRefused(UserError, "with its buttons"):
            work.with_user(self.planner).write({"state": "done"})
        self.notify(work)
        with self.assertRefused(UserError, "set it back to draft"):
            work.with_user(self.planner).write({"date_end": END + timedelta(hours=1)})
        with self.assertRefused(UserError, "not possible now"):
            work.with_user(self.planner).action_done()

    def test_technician_cannot_plan(self):
        with self.assertRaises(AccessError):
            self.new_work(user=self.technician)

    def test_objection_needs_a_reason_and_an_answer(self):
        work = self.new_work()
        self.notify(work)
        notice = work.notice_ids
        with self.assertRefused(ValidationError, "Say why you object"):
            notice._fs_respond("objected", self.plain, "  ")
        self.assertEqual(notice.response, "pending")
        notice._fs_respond("objected", self.plain, "Our shop opens at 05:00")
        self.assertTrue(work.activity_ids)
        with self.assertRefused(UserError, "Answer the customers' objections"):
            work.with_user(self.planner).action_confirm()
        with self.assertRefused(UserError, "only the answer"):
            notice.with_user(self.planner).write({"response": "acknowledged"})
        notice.with_user(self.planner).answer = "We finish by 04:30"
        work.with_user(self.planner).action_confirm()
        self.assertEqual(work.state, "confirmed")


@tagged("post_install", "-at_install")
class TestPlannedWorkTickets(PlannedWorkCase):
    def test_ticket_in_window_pauses_and_leaves_the_figures(self):
        work = self.new_work(lines=(self.line_aaa,))
        self.notify(work, at=PLANNING - timedelta(days=4))
        before = self._ticket(START - timedelta(hours=1))
        during = self._ticket(START + timedelta(hours=1))
        self.assertFalse(before.planned_work_id)
        self.assertEqual(during.planned_work_id, work)
        self.assertEqual(during.planned_outcome, "planned")
        self.assertTrue(during.severity_excluded)
        pause = during.sla_pause_ids
        self.assertEqual(
            (pause.origin, pause.start_date, pause.end_date),
            ("planned", START + timedelta(hours=1), END),
        )
        self.assertEqual(self.clock(during, "contact").state, "paused")
        change = during.severity_change_ids
        self.assertIn(work.reference, change.reason)
        # escalation does not fire during the window
        self.make_severe(during, START + timedelta(hours=1, minutes=5))
        self.sweep(START + timedelta(hours=3))
        self.assertFalse(self.fired(during))

    def test_draft_or_other_lines_are_not_linked(self):
        self.new_work(lines=(self.line_aaa,))  # never notified
        work = self.new_work(name="Other", lines=(self.plain_line,))
        self.notify(work)
        ticket = self._ticket(START + timedelta(hours=1))
        self.assertFalse(ticket.planned_work_id)
        self.assertFalse(ticket.severity_excluded)

    def test_window_end_settles_restored_and_down_lines(self):
        work = self.new_work(lines=(self.line_aaa, self.line_aa))
        self.notify(work, at=PLANNING - timedelta(days=4))
        back = self._ticket(START + timedelta(hours=1))
        down = self._ticket(START + timedelta(hours=2), line=self.line_aa)
        self.make_severe(back | down, START + timedelta(hours=2, minutes=5))
        with freeze_time(START + timedelta(hours=3)):
            back.action_sla_restored()
        # at the window's end, before it is settled: still nothing fires
        self.sweep(END)
        self.assertFalse(self.fired(back) or self.fired(down))
        with freeze_time(END + timedelta(minutes=1)):
            self.env["fs.planned.work"]._cron_settle_windows()
        # settled: the line still down escalates as any severe fault, the
        # planned one never
        self.sweep(END + timedelta(minutes=2))
        self.assertTrue(self.fired(down))
        self.sweep(END + timedelta(days=2))
        self.assertFalse(self.fired(back))
        self.assertTrue(work.window_settled)
        self.assertEqual(back.planned_outcome, "planned")
        self.assertTrue(back.severity_excluded)
        self.assertEqual(down.planned_outcome, "fault")
        self.assertFalse(down.severity_excluded)
        contact = self.clock(down, "contact")
        self.assertEqual(contact.state, "running")
        # its clock counts from the window's end (office hours: the AA policy)
        self.assertGreater(contact.deadline, END)
        self.assertIn("1 still down count as faults", work.message_ids[0].body)
        lines = work.line_ids.sorted(lambda l: l.service_line_id.circuit_ref)
        self.assertEqual(lines.mapped("ticket_count"), [1, 1])

    def test_verification_then_done(self):
        work = self.new_work()
        self.notify(work)
        with freeze_time(START):
            work.with_user(self.planner).action_start()
        with self.assertRefused(UserError, "not yet verified for Plain Bakery"):
            work.with_user(self.planner).action_done()
        work.notice_ids.with_user(self.planner).action_verify_by_test()
        self.assertEqual(work.notice_ids.verification, "test")
        work.with_user(self.planner).action_done()
        self.assertEqual(work.state, "done")

    def test_rollback_through_its_dialog(self):
        work = self.new_work()
        self.notify(work)
        work.with_user(self.planner).action_start()
        action = work.with_user(self.planner).action_rollback()
        self.assertEqual(action["res_model"], "fs.planned.work.rollback")
        form = Form(
            self.env["fs.planned.work.rollback"]
            .with_user(self.planner)
            .with_context(action["context"])
        )
        with self.assertRaises(AssertionError):
            form.save()  # Why is required
        form.note = "New software lost the routes; old image restored"
        form.save().action_rollback()
        self.assertEqual(work.state, "rolled_back")
        self.assertIn("old image", work.rollback_note)

    def test_copy_is_a_new_draft(self):
        work = self.new_work()
        self.notify(work)
        again = work.with_user(self.planner).copy()
        self.assertEqual(again.state, "draft")
        self.assertNotEqual(again.reference, work.reference)
        self.assertFalse(again.notice_ids)
        self.assertEqual(again.line_ids.service_line_id, self.plain_line)
