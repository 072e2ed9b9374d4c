from datetime import date, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from ..models.fs_escalation_batch import BatchState
from .common import sh
from .roles_common import RoleRpcCase
from .test_planned_work import PLANNING, PlannedWorkCase

# the customer's event: the 6th 08:00 to the 8th 20:00 (Shanghai); the
# cutover of the planned-work tests (the night of the 6th to the 7th) falls in it
EVENT_START, EVENT_END = sh(2026, 3, 6, 8), sh(2026, 3, 8, 20)
DURING, BEFORE = sh(2026, 3, 7, 10), sh(2026, 3, 6, 7)


@tagged("post_install", "-at_install")
class AssuranceCase(PlannedWorkCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account_manager = new_test_user(
            cls.env,
            login="ap_account_manager",
            groups="field_service_sla.group_fs_account_manager",
            tz="Asia/Shanghai",
        )
        cls.duty_engineer = new_test_user(
            cls.env,
            login="ap_duty",
            groups="field_service_sla.group_fs_technician",
            tz="Asia/Shanghai",
        )
        cls.assurance_policy = cls.env.ref("field_service_sla.policy_assurance")
        # the plain customer's (three days' notice for a cutover): its AAA
        # line and an AA one
        cls.plain.account_manager_id = cls.am
        cls.plain_line2 = cls.env["fs.service.line"].create(
            {
                "circuit_ref": "P-2",
                "partner_id": cls.plain.id,
                "service_type_id": cls.internet.id,
                "assurance_level_id": cls.aa.id,
            }
        )

    def new_period(self, user=None, lines=None, start=EVENT_START, end=EVENT_END):
        """An assurance period saved through its form, as the account
        manager's client; ``lines`` chosen (all the customer's when None)."""
        env = self.env(user=user or self.account_manager)
        with freeze_time(PLANNING):
            with Form(env["fs.assurance.period"]) as form:
                form.name = "Annual shareholders' meeting"
                form.partner_id = self.plain
                form.date_start = start
                form.date_end = end
                if lines is not None:
                    form.all_lines = False
                    for line in lines:
                        form.line_ids.add(line)
            return form.record

    def declare(self, period, at=PLANNING):
        with freeze_time(at):
            period.with_user(period.env.user).action_declare()


@tagged("post_install", "-at_install")
class TestAssurancePeriod(AssuranceCase):
    def test_declared_through_its_form_with_the_shipped_policy(self):
        period = self.new_period(lines=(self.plain_line,))
        self.assertEqual(period.state, "draft")
        self.assertEqual(period.policy_id, self.assurance_policy)
        self.assertEqual(period.account_manager_id, self.am)
        self.declare(period)
        self.assertEqual(period.state, "declared")
        with self.assertRefused(UserError, "with its buttons"):
            period.with_user(self.account_manager).write({"state": "done"})
        period.with_user(self.account_manager).action_done()
        self.assertEqual(period.state, "done")

    def test_the_shipped_policy_is_strict_and_around_the_clock(self):
        policy = self.assurance_policy
        self.assertTrue(policy.assurance_only)
        targets = {m.kind: (m.target, m.calendar_id) for m in policy.milestone_ids}
        self.assertEqual(
            targets,
            {
                "contact": (timedelta(minutes=10), self.env["resource.calendar"]),
                "on_site": (timedelta(minutes=30), self.env["resource.calendar"]),
                "restored": (timedelta(hours=2), self.env["resource.calendar"]),
            },
        )

    def test_bad_input_is_refused_and_changes_nothing(self):
        Period = self.env(user=self.account_manager)["fs.assurance.period"]
        with self.assertRefused(ValidationError, "must end after it starts"):
            self.new_period(start=EVENT_END, end=EVENT_START)
        with self.assertRefused(ValidationError, "choose the lines concerned"):
            self.new_period(lines=())
        with self.assertRefused(ValidationError, "are not lines of"):
            self.new_period(lines=(self.plain_line, self.line_aaa))
        self.assertFalse(Period.search([("partner_id", "=", self.plain.id)]))
        # a period over already cannot be declared (one under way can)
        period = self.new_period()
        with self.assertRefused(UserError, "over already"):
            self.declare(period, at=EVENT_END + timedelta(minutes=1))
        self.assertEqual(period.state, "draft")
        self.declare(period, at=DURING)
        self.assertEqual(period.state, "declared")

    def test_a_declared_period_keeps_its_lines_valid_on_write(self):
        period = self.new_period(lines=(self.plain_line,))
        with self.assertRefused(ValidationError, "are not lines of"):
            period.with_user(self.account_manager).line_ids = self.line_aaa
        self.assertEqual(period.line_ids, self.plain_line)


@tagged("post_install", "-at_install")
class TestAssurancePolicy(AssuranceCase):
    def test_a_ticket_on_a_period_line_during_it_gets_the_assurance_policy(self):
        period = self.new_period(lines=(self.plain_line,))
        draft_ticket = self._ticket(DURING, line=self.plain_line)
        self.assertEqual(draft_ticket.sla_policy_id, self.policy_aaa)
        self.declare(period)
        during = self._ticket(DURING, line=self.plain_line)
        self.assertEqual(during.sla_policy_id, self.assurance_policy)
        self.assertEqual(
            self.clock(during, "contact").deadline, DURING + timedelta(minutes=10)
        )
        # before the period, or on a line not chosen: the usual policy
        before = self._ticket(BEFORE, line=self.plain_line)
        self.assertEqual(before.sla_policy_id, self.policy_aaa)
        other_line = self._ticket(DURING, line=self.plain_line2)
        self.assertEqual(other_line.sla_policy_id, self.policy_aa)
        # all lines: the other line too; another customer's line never
        period.all_lines = True
        self.assertEqual(
            self._ticket(DURING, line=self.plain_line2).sla_policy_id,
            self.assurance_policy,
        )
        self.assertNotEqual(
            self._ticket(DURING, line=self.line_aaa).sla_policy_id,
            self.assurance_policy,
        )

    def test_a_batch_is_matched_in_two_assurance_queries_at_most(self):
        """A probe of the declared periods, and the match only when the probe
        found one holding the batch's times."""
        engine = self.env["fs.sla.engine"]
        tickets = self.env["helpdesk.ticket"].union(
            *(self._ticket(DURING, line=self.plain_line) for _ in range(3))
        )
        self.env.flush_all()
        with self.assertQueryCount(1):
            self.assertEqual(engine._assurance(tickets), {})
        self.declare(self.new_period(lines=(self.plain_line,)))
        self.env.flush_all()
        tickets.mapped("reported_date")  # what the batch knows already
        with self.assertQueryCount(2):
            found = engine._assurance(tickets)
        self.assertEqual(
            found, dict.fromkeys(tickets.ids, frozenset(self.assurance_policy.ids))
        )


@tagged("post_install", "-at_install")
class TestAssuranceDuty(AssuranceCase):
    def test_on_call_resolves_to_the_engineer_of_the_day(self):
        period = self.new_period(lines=(self.plain_line,))
        with Form(period.with_user(self.account_manager)) as form:
            with form.duty_ids.new() as row:
                row.day = date(2026, 3, 7)
                row.user_id = self.duty_engineer
            with form.duty_ids.new() as row:
                row.day = date(2026, 3, 8)
                row.user_id = self.leader
        self.declare(period)
        on_line = self._ticket(DURING, line=self.plain_line)
        off_line = self._ticket(DURING, line=self.plain_line2)
        with freeze_time(DURING):
            batch = BatchState(self.env, [on_line.id, off_line.id])
            self.assertEqual(
                batch.users(("on_call",), batch.tickets[on_line.id]),
                [self.duty_engineer.id],
            )
            self.assertEqual(
                batch.users(("on_call",), batch.tickets[off_line.id]),
                [self.on_call.id],
            )
        # the 8th (Shanghai): the next engineer; after the period: the team's
        with freeze_time(sh(2026, 3, 8, 9)):
            batch = BatchState(self.env, [on_line.id])
            self.assertEqual(
                batch.users(("on_call",), batch.tickets[on_line.id]), [self.leader.id]
            )
        with freeze_time(EVENT_END + timedelta(hours=1)):
            batch = BatchState(self.env, [on_line.id])
            self.assertEqual(
                batch.users(("on_call",), batch.tickets[on_line.id]),
                [self.on_call.id],
            )

    def test_an_escalation_step_gives_the_duty_engineer_the_activity(self):
        """End to end: a sweep fires a step whose activity goes to the
        on-call engineer; the period's ticket's goes to the day's engineer."""
        period = self.new_period(lines=(self.plain_line,))
        period.duty_ids = [
            fields.Command.create(
                {"day": date(2026, 3, 7), "user_id": self.duty_engineer.id}
            )
        ]
        self.declare(period)
        self.env["fs.escalation.ladder"].create(
            {
                "name": "On call at once",
                "step_ids": [
                    fields.Command.create(
                        {
                            "name": "Call the on-call engineer",
                            "trigger": "severity",
                            "severity": "general",
                            "activity_role_ids": [
                                fields.Command.set(
                                    self.env.ref(
                                        "field_service_sla.escalation_role_on_call"
                                    ).ids
                                )
                            ],
                            "activity_type_id": self.env.ref(
                                "field_service_sla.mail_activity_type_escalation"
                            ).id,
                        }
                    )
                ],
            }
        )
        on_line = self._ticket(DURING, line=self.plain_line)
        off_line = self._ticket(DURING, line=self.plain_line2)
        self.sweep(DURING)

        def users(ticket):
            return (
                self.env["mail.activity"]
                .search(
                    [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
                )
                .user_id
            )

        self.assertIn(self.duty_engineer, users(on_line))
        self.assertNotIn(self.on_call, users(on_line))
        self.assertIn(self.on_call, users(off_line))
        self.assertNotIn(self.duty_engineer, users(off_line))

    def test_a_duty_outside_the_period_or_twice_a_day_is_refused(self):
        period = self.new_period()
        with self.assertRefused(ValidationError, "is not a day of the period"):
            with Form(period.with_user(self.account_manager)) as form:
                with form.duty_ids.new() as row:
                    row.day = date(2026, 3, 10)
                    row.user_id = self.duty_engineer
        self.assertFalse(period.duty_ids)

    def test_my_duty_shows_the_engineer_his_days(self):
        period = self.new_period()
        period.with_user(self.account_manager).duty_ids = [
            fields.Command.create(
                {"day": date(2026, 3, 7), "user_id": self.duty_engineer.id}
            )
        ]
        self.declare(period)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "field_service_sla.fs_assurance_duty_action_mine"
        )
        domain = safe_eval(action["domain"], {"uid": self.duty_engineer.id})
        self.assertIn("kanban", action["view_mode"])
        duties = self.env(user=self.duty_engineer)["fs.assurance.duty"].search(domain)
        self.assertEqual(duties, period.duty_ids)


@tagged("post_install", "-at_install")
class TestAssuranceBlocksCutovers(AssuranceCase):
    def test_a_cutover_in_the_period_is_refused_until_an_admin_accepts_it(self):
        self.declare(self.new_period(lines=(self.plain_line,)))
        # a cutover on another line of the customer: not in the period
        elsewhere = self.new_work(lines=(self.plain_line2,))
        self.assertFalse(elsewhere.assurance_period_ids)
        work = self.new_work(lines=(self.plain_line,))
        self.assertIn("P-1", work.assurance_note)
        with self.assertRefused(UserError, "special assurance periods"):
            self.notify(work)
        self.assertEqual(work.state, "draft")
        with self.assertRaises(AccessError):
            work.with_user(self.planner).override_reason = "ok"
        with Form(work.with_user(self.admin)) as form:
            form.override_reason = "The customer agreed: the event starts at 08:00"
        self.notify(work)
        self.assertEqual(work.state, "notified")

    def test_a_window_outside_the_period_goes(self):
        self.declare(self.new_period(lines=(self.plain_line,)))
        work = self.new_work(
            lines=(self.plain_line,),
            start=EVENT_END + timedelta(hours=5),
            end=EVENT_END + timedelta(hours=8),
        )
        self.assertFalse(work.assurance_period_ids)
        self.notify(work)
        self.assertEqual(work.state, "notified")

    def test_one_calendar_shows_windows_and_periods(self):
        period = self.new_period(lines=(self.plain_line,))
        work = self.new_work(
            lines=(self.plain_line,),
            start=EVENT_END + timedelta(hours=5),
            end=EVENT_END + timedelta(hours=8),
        )
        Calendar = self.env["fs.planned.calendar"].with_user(self.technician)
        entries = Calendar.search(
            [
                "|",
                ("planned_work_id", "=", work.id),
                ("assurance_period_id", "=", period.id),
            ]
        )
        by_kind = {e.kind: e for e in entries}
        self.assertEqual(by_kind["assurance"].assurance_period_id, period)
        self.assertEqual(by_kind["planned_work"].planned_work_id, work)
        self.assertEqual(by_kind["planned_work"].state, "Draft")
        action = by_kind["assurance"].action_open()
        self.assertEqual(
            (action["res_model"], action["res_id"]), (period._name, period.id)
        )
        work.with_user(self.planner).action_cancel()
        self.assertNotIn(work, Calendar.search([]).planned_work_id)


@tagged("post_install", "-at_install")
class TestAssuranceAccess(RoleRpcCase):
    """Who declares an assurance period, over JSON-RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        start = fields.Datetime.now().replace(microsecond=0) + timedelta(days=10)
        cls.values = {
            "name": "Annual shareholders' meeting",
            "partner_id": cls.customer.id,
            "date_start": fields.Datetime.to_string(start),
            "date_end": fields.Datetime.to_string(start + timedelta(days=2)),
        }

    def test_account_manager_and_sla_admin_declare(self):
        for role in ("account_manager", "sla_admin"):
            period_id = self.call(
                self.login(role), "fs.assurance.period", "create", self.values
            )
            self.call(
                self.login(role), "fs.assurance.period", "action_declare", [period_id]
            )
            self.assertRpcRefused(
                self.login(role),
                "fs.assurance.period",
                "write",
                [period_id],
                {"state": "draft"},
            )
            # the buttons' own context key does not open the state either
            self.assertRpcRefused(
                self.login(role),
                "fs.assurance.period",
                "write",
                [period_id],
                {"state": "done"},
                context={"fs_state_transition": True},
            )
            period = self.env["fs.assurance.period"].browse(period_id)
            self.assertEqual(period.state, "declared")

    def test_the_others_only_read(self):
        period_id = self.call(
            "rpc_account_manager", "fs.assurance.period", "create", self.values
        )
        for role in ("technician", "dispatcher", "helpdesk_user"):
            login = self.login(role)
            self.assertRpcRefused(login, "fs.assurance.period", "create", self.values)
            self.assertRpcRefused(
                login, "fs.assurance.period", "action_declare", [period_id]
            )
        read = self.call(
            "rpc_technician", "fs.assurance.period", "read", [period_id], ["state"]
        )
        self.assertEqual(read[0]["state"], "draft")
        # a customer's portal user never reads another customer's period (its
        # own company's, the portal of field_service_reports shows it)
        other = self.env["res.partner"].create(
            {
                "name": "Other Group",
                "is_company": True,
                "customer_segment": "enterprise",
            }
        )
        other_id = self.call(
            "rpc_account_manager",
            "fs.assurance.period",
            "create",
            {**self.values, "partner_id": other.id},
        )
        self.assertRpcRefused(
            "rpc_portal", "fs.assurance.period", "read", [other_id], ["name"]
        )
        self.assertRpcRefused(
            "rpc_portal", "fs.assurance.period", "write", [period_id], {"name": "x"}
        )
        self.assertRpcRefused(
            "rpc_account_manager", "fs.assurance.period", "unlink", [period_id]
        )


@tagged("post_install", "-at_install")
class TestAssuranceInspection(AssuranceCase):
    def test_declaring_plans_the_inspection_the_day_before(self):
        site = self.env["fsm.location"].create(
            {"name": "Plain Bakery machine room", "owner_id": self.plain.id}
        )
        self.plain_line.location_id = site
        period = self.new_period()  # all lines: P-1 with a site, P-2 without
        self.declare(period)
        inspection = period.inspection_ids
        self.assertEqual(len(inspection), 1)
        self.assertEqual(inspection.location_id, site)
        self.assertEqual(inspection.service_line_id, self.plain_line)
        self.assertEqual(inspection.planned_date, date(2026, 3, 5))
        self.assertEqual(
            inspection.template_id,
            self.env.ref("field_service_sla.inspection_template_enterprise"),
        )
        self.assertTrue(inspection.fsm_order_id)
        self.assertTrue(inspection.item_ids, "the template's checklist is copied")
        note = period.message_ids[:1].body
        self.assertIn("P-2", note)
        # declared again after a cancel: nothing planned twice
        period.with_user(self.account_manager).action_cancel()
        period.with_user(self.account_manager).action_draft()
        self.declare(period)
        self.assertEqual(period.inspection_ids, inspection)


@tagged("post_install", "-at_install")
class TestAssuranceDailyStatus(AssuranceCase):
    def test_the_account_manager_gets_the_days_tickets(self):
        self.am.email = "am@example.com"
        period = self.new_period(lines=(self.plain_line,))
        self.declare(period)
        broken = self.new_period(lines=(self.plain_line2,))
        self.declare(broken)
        ticket = self._ticket(DURING, line=self.plain_line)
        self._ticket(DURING, line=self.plain_line2)
        Period = type(self.env["fs.assurance.period"])
        real = Period._daily_status_mail

        def failing(record, since, now):
            if record == broken:
                raise ValueError("boom")
            return real(record, since, now)

        Mail = self.env["mail.mail"]
        before = Mail.search([("model", "=", "fs.assurance.period")])
        with (
            patch.object(Period, "_daily_status_mail", failing),
            self.assertLogs(
                "odoo.addons.field_service_sla.models.fs_assurance_period_ops",
                "ERROR",
            ),
        ):
            sent = self.env["fs.assurance.period"]._cron_daily_status(
                now=DURING + timedelta(hours=2)
            )
        self.assertEqual(sent, 1)
        mail = Mail.search([("model", "=", "fs.assurance.period")]) - before
        self.assertEqual(mail.res_id, period.id)
        self.assertEqual(mail.recipient_ids, self.am.partner_id)
        self.assertIn(ticket.display_name, mail.body_html)
        self.assertNotIn("P-2", mail.body_html)
        # after the end: the last status, then the period is done
        self.env["fs.assurance.period"]._cron_daily_status(
            now=EVENT_END + timedelta(hours=1)
        )
        self.assertEqual(period.state, "done")


@tagged("post_install", "-at_install")
class TestAssuranceCompanies(AssuranceCase):
    def test_a_period_covers_its_own_companys_lines_only(self):
        theirs = self._other_company_line("T-OTHER-1")
        period = self.new_period()
        period.partner_id = self.customer
        self.declare(period)
        self.assertNotIn(theirs, period._lines())
        found = self.env["fs.sla.engine"]._assurance(
            self.env["helpdesk.ticket"].new(
                {"service_line_id": theirs.id, "reported_date": DURING}
            )
        )
        self.assertEqual(found, {})

    def test_moving_the_period_keeps_the_roster_inside_it(self):
        period = self.new_period()
        period.duty_ids = [
            fields.Command.create(
                {"day": date(2026, 3, 8), "user_id": self.duty_engineer.id}
            )
        ]
        with self.assertRefused(ValidationError, "is not a day of the period"):
            period.date_end = sh(2026, 3, 7, 20)
        self.assertEqual(period.date_end, EVENT_END)
