import csv
from datetime import timedelta
from pathlib import Path
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import SlaCase, sh

T = sh(2026, 3, 2, 10, 0)  # a Monday, 10:00 in Shanghai
MIN = timedelta(minutes=1)


class SeverityCase(SlaCase):
    """Ordinary group customers of one city with a group SMS line each, an
    important one, and the three roles that meet severity."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.sms = ref("field_service_sla.service_type_group_sms")
        cls.data_line = ref("field_service_sla.service_type_data_line")
        cls.silver = ref("field_service_sla.tier_silver")
        cls.sms_lines = {}
        cls.ordinary = [
            cls._customer(f"Ordinary {n}", "Chongqing", cls.silver) for n in range(6)
        ]
        cls.elsewhere = cls._customer("Chengdu Group", "Chengdu", cls.silver)
        cls.customer.city = "Chongqing"  # diamond: important
        cls.important_sms = cls._line("T-SMS-VIP", cls.customer, cls.sms)
        cls.users = {
            role: new_test_user(
                cls.env,
                login=f"sev_{role}",
                groups=f"field_service_sla.group_fs_{role}",
            )
            for role in ("technician", "dispatcher", "account_manager")
        }
        cls.users["technician"].helpdesk_team_ids = cls.team
        for user in cls.users.values():
            user.tz = "Asia/Shanghai"

    @classmethod
    def _customer(cls, name, city, tier):
        partner = cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "city": city,
                "customer_segment": "enterprise",
                "customer_tier_id": tier.id,
            }
        )
        cls.sms_lines[partner] = cls._line(f"T-SMS-{name}", partner, cls.sms)
        return partner

    @classmethod
    def _line(cls, ref, partner, service_type, **values):
        return cls.env["fs.service.line"].create(
            {
                "circuit_ref": ref,
                "partner_id": partner.id,
                "service_type_id": service_type.id,
                "assurance_level_id": cls.aa.id,
                **values,
            }
        )

    def setUp(self):
        super().setUp()
        self.hook_calls = []
        Ticket = type(self.env["helpdesk.ticket"])
        hook = Ticket._fs_severity_changed
        calls = self.hook_calls

        def spy(tickets, old_severities):
            calls.append(dict(old_severities))
            return hook(tickets, old_severities)

        patcher = patch.object(Ticket, "_fs_severity_changed", spy)
        patcher.start()
        self.addCleanup(patcher.stop)

    def as_(self, role):
        return self.env(user=self.users[role], context={})

    def complaint(self, partner, minutes, env=None):
        when = T + minutes * MIN
        with freeze_time(when):
            return (env or self.env)["helpdesk.ticket"].create(
                {
                    "name": "SMS not delivered",
                    "description": "Customer call",
                    "team_id": self.team.id,
                    "service_line_id": self.sms_lines[partner].id,
                    "reported_date": when,
                }
            )

    def at(self, minutes):
        return freeze_time(T + minutes * MIN)

    def cron(self, minutes):
        with self.at(minutes):
            self.env["fs.severity.engine"]._cron_apply_due_severity()

    def wizard(self, env, tickets, action, reason="", **values):
        return (
            env["fs.severity.wizard"]
            .with_context(default_action=action)
            .create({"ticket_ids": [(6, 0, tickets.ids)], "reason": reason, **values})
        )


@tagged("post_install", "-at_install")
class TestComplaintAggregation(SeverityCase):
    def test_three_ordinary_customers_within_30_minutes(self):
        first = self.complaint(self.ordinary[0], 0)
        second = self.complaint(self.ordinary[1], 10)
        self.assertEqual((first + second).mapped("severity"), ["general", "general"])
        self.assertFalse((first + second).incident_id)

        third = self.complaint(self.ordinary[2], 25)
        cluster = first + second + third
        self.assertEqual(set(cluster.mapped("severity")), {"severe"})
        incident = cluster.incident_id
        self.assertEqual(len(incident), 1, "one parent incident")
        self.assertEqual(incident.ticket_ids, cluster)
        self.assertEqual(incident.severe_from_ticket_id, third)
        self.assertEqual(incident.start_date, T)
        self.assertEqual(incident.severe_date, T + 25 * MIN)
        self.assertEqual(
            (incident.city, incident.service_type_id), ("Chongqing", self.sms)
        )
        log = first.severity_change_ids
        self.assertEqual(len(log), 1)
        self.assertEqual(
            (log.source, log.old_severity, log.new_severity, log.incident_id),
            ("aggregation", "general", "severe", incident),
        )
        self.assertIn(incident.name, log.reason)
        self.assertEqual(
            self.hook_calls, [dict.fromkeys(cluster.ids, "general")], "told once"
        )

        # a fourth report joins while the fault goes on
        fourth = self.complaint(self.ordinary[3], 40)
        self.assertEqual(fourth.incident_id, incident)
        self.assertEqual(fourth.severity, "severe")
        self.assertEqual(fourth.severity_change_ids.source, "aggregation")

        # another city, an important customer: neither counts nor joins
        chengdu = self.complaint(self.elsewhere, 41)
        self.assertEqual((chengdu.severity, chengdu.incident_id.id), ("general", False))
        with self.at(42):
            vip = self.env["helpdesk.ticket"].create(
                {
                    "name": "SMS",
                    "team_id": self.team.id,
                    "description": "x",
                    "service_line_id": self.important_sms.id,
                    "reported_date": T + 42 * MIN,
                }
            )
        self.assertFalse(vip.incident_id)
        self.assertEqual(vip.severity, "general")

        # more than 30 min after the latest report: counting starts again
        late = self.complaint(self.ordinary[4], 71)
        self.assertEqual((late.severity, late.incident_id.id), ("general", False))
        self.assertEqual(len(incident.ticket_ids), 4)

    def test_reports_spread_over_more_than_30_minutes_stay_general(self):
        tickets = (
            self.complaint(self.ordinary[0], 0)
            + self.complaint(self.ordinary[1], 20)
            + self.complaint(self.ordinary[2], 31)
        )
        self.assertEqual(set(tickets.mapped("severity")), {"general"})
        self.assertFalse(tickets.incident_id)
        self.assertFalse(self.env["fs.incident"].search([("city", "=", "Chongqing")]))

    def test_a_batch_is_counted_with_one_query(self):
        """Reports created together are counted together: the engine looks
        for the other reports around them once for the whole batch."""
        Engine = type(self.env["fs.severity.engine"])
        around, calls = Engine._reports_around, []

        def counting(engine, reports, window):
            calls.append(len(reports))
            return around(engine, reports, window)

        with patch.object(Engine, "_reports_around", counting), self.at(0):
            tickets = self.env["helpdesk.ticket"].create(
                [
                    {
                        "name": f"SMS {n}",
                        "description": "x",
                        "team_id": self.team.id,
                        "service_line_id": self.sms_lines[partner].id,
                        "reported_date": T + n * MIN,
                    }
                    for n, partner in enumerate(self.ordinary[:3] + [self.elsewhere])
                ]
            )
        self.assertEqual(calls, [4])
        self.assertEqual(
            tickets.mapped("severity"), ["severe", "severe", "severe", "general"]
        )

    def test_n_and_m_are_configurable(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("field_service_sla.severity_complaint_count", "2")
        params.set_param("field_service_sla.severity_complaint_minutes", "60")
        tickets = self.complaint(self.ordinary[0], 0) + self.complaint(
            self.ordinary[1], 50
        )
        self.assertEqual(set(tickets.mapped("severity")), {"severe"})

    def test_a_technician_logging_the_third_report_makes_the_fault_severe(self):
        """The aggregation is the engine's, whoever logs the report."""
        self.complaint(self.ordinary[0], 0)
        self.complaint(self.ordinary[1], 5)
        third = self.complaint(self.ordinary[2], 9, env=self.as_("technician"))
        self.assertEqual(third.severity, "severe")
        self.assertEqual(third.severity_change_ids.user_id, self.users["technician"])


@tagged("post_install", "-at_install")
class TestOutageRules(SeverityCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.circuit_rule = cls.env.ref("field_service_sla.severity_rule_circuit")
        cls.cross_city_rule = cls.env.ref(
            "field_service_sla.severity_rule_cross_city_circuit"
        )
        cls.diamond_circuit = cls._line("T-DL-1", cls.customer, cls.data_line)

    def outage(self, line, minutes=0):
        with self.at(minutes):
            return self.env["helpdesk.ticket"].create(
                {
                    "name": "Circuit down",
                    "description": "Alarm",
                    "team_id": self.team.id,
                    "service_line_id": line.id,
                    "reported_date": T + minutes * MIN,
                }
            )

    def assess_scope(self, ticket, minutes, scope="one_direction_down"):
        with self.at(minutes):
            ticket.with_user(self.users["dispatcher"]).impact_scope = scope

    def test_one_direction_down_for_30_minutes_is_severe(self):
        ticket = self.outage(self.diamond_circuit)
        self.assertFalse(ticket.severity_rule_id, "no impact assessed yet")
        self.assess_scope(ticket, 5)
        self.assertEqual(ticket.severity_rule_id, self.circuit_rule)
        self.assertEqual(ticket.severity_pending, "severe")
        self.assertEqual(ticket.severity_due_date, T + 30 * MIN)
        self.assertEqual(ticket.severity, "general")

        self.cron(29)
        self.assertEqual(ticket.severity, "general")
        self.cron(30)
        self.assertEqual(ticket.severity, "severe")
        self.assertFalse(ticket.severity_pending)
        self.assertFalse(ticket.severity_due_date)
        log = ticket.severity_change_ids
        self.assertEqual(
            (log.source, log.rule_id, log.old_severity, log.new_severity),
            ("rule", self.circuit_rule, "general", "severe"),
        )
        self.assertEqual(log.date, T + 30 * MIN)
        self.assertEqual(self.hook_calls, [{ticket.id: "general"}])

    def test_restored_within_30_minutes_stays_general(self):
        ticket = self.outage(self.diamond_circuit)
        self.assess_scope(ticket, 5)
        with self.at(20):
            ticket.action_sla_restored()
        self.assertFalse(ticket.severity_due_date, "nothing waits any more")
        self.cron(31)
        self.assertEqual(ticket.severity, "general")
        self.assertFalse(ticket.severity_change_ids)
        self.assertEqual(self.hook_calls, [])

    def test_impact_assessed_after_the_threshold_is_severe_at_once(self):
        ticket = self.outage(self.diamond_circuit)
        self.assess_scope(ticket, 45)
        self.assertEqual(ticket.severity, "severe")
        self.assertEqual(ticket.severity_change_ids.source, "rule")

    def test_the_cron_finds_due_tickets_in_one_indexed_scan(self):
        due = self.outage(self.diamond_circuit)
        self.assess_scope(due, 1)
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        # nothing due yet: the range scan is all it costs
        self.env["fs.severity.engine"]._cron_apply_due_severity(T + 29 * MIN)
        self.assertEqual(self.env.cr.sql_log_count - before, 1)
        self.cron(31)
        self.assertEqual(due.severity, "severe")

    def test_non_diamond_cross_city_circuit_is_severe_after_8_hours(self):
        gold = self._customer("Gold cross-city", "Chongqing", self.gold)
        line = self._line("T-DL-X", gold, self.data_line, cross_city=True)
        self.assertTrue(gold.is_important_customer, "a cross-city line")
        ticket = self.outage(line)
        self.assess_scope(ticket, 2)
        self.assertEqual(ticket.severity_rule_id, self.cross_city_rule)
        self.assertEqual(ticket.severity_due_date, T + 8 * 60 * MIN)
        self.cron(60)
        self.cron(8 * 60 - 1)
        self.assertEqual(ticket.severity, "general")
        self.cron(8 * 60)
        self.assertEqual(ticket.severity, "severe")
        self.assertEqual(ticket.severity_change_ids.rule_id, self.cross_city_rule)

    def test_diamond_cross_city_circuit_is_severe_after_30_minutes(self):
        line = self._line("T-DL-XD", self.customer, self.data_line, cross_city=True)
        ticket = self.outage(line)
        self.assess_scope(ticket, 2)
        self.assertEqual(ticket.severity_rule_id, self.circuit_rule)
        self.cron(30)
        self.assertEqual(ticket.severity, "severe")

    def test_closing_the_ticket_drops_what_was_pending(self):
        ticket = self.outage(self.diamond_circuit)
        self.assess_scope(ticket, 5)
        with self.at(10):
            ticket.stage_id = self.stage_done
        self.assertFalse(ticket.severity_due_date)
        self.cron(31)
        self.assertEqual(ticket.severity, "general")

    def test_a_rule_without_impact_applies_before_any_assessment(self):
        self.env["fs.severity.rule"].create(
            {
                "name": "Any SMS fault of an important customer",
                "sequence": 5,
                "service_type_ids": [(6, 0, self.sms.ids)],
                "importance": "important",
                "threshold_minutes": 60,
                "severity": "major",
            }
        )
        ticket = self.outage(self.important_sms)
        self.assertEqual(
            (ticket.severity_pending, ticket.severity_due_date), ("major", T + 60 * MIN)
        )
        self.cron(60)
        self.assertEqual(ticket.severity, "major")
        # an ordinary customer's SMS fault is no concern of that rule
        other = self.outage(self.sms_lines[self.ordinary[0]])
        self.assertFalse(other.severity_pending)

    def test_ordinary_customer_outage_matches_no_rule(self):
        line = self._line("T-DL-O", self.ordinary[0], self.data_line)
        ticket = self.outage(line)
        self.assess_scope(ticket, 2)
        self.assertFalse(ticket.severity_rule_id)
        self.cron(60)
        self.assertEqual(ticket.severity, "general")


@tagged("post_install", "-at_install")
class TestDoubtThenExcluded(SeverityCase):
    def test_raised_in_doubt_then_excluded_then_counted_again(self):
        dispatcher = self.as_("dispatcher")
        ticket = self._ticket(T, line=self.line_aaa)
        self.assertTrue(ticket.sla_clock_ids)
        as_dispatcher = ticket.with_env(dispatcher)

        with self.at(5):
            action = as_dispatcher.action_fs_severity_raise()
            wizard = (
                dispatcher["fs.severity.wizard"]
                .with_context(action["context"])
                .create({})
            )
            self.assertIn("Cause unknown", wizard.reason)
            wizard.action_apply()
        self.assertEqual(ticket.severity, "severe")
        self.assertEqual(self.hook_calls, [{ticket.id: "general"}])

        # excluding needs a reason, and a refusal changes nothing
        with self.at(60):
            wizard = self.wizard(dispatcher, ticket, "exclude", reason="  ")
            with self.assertRefused(UserError, "Give the reason"):
                wizard.action_apply()
            with self.assertRefused(UserError, "Give the reason why"):
                as_dispatcher.write({"severity_excluded": True})
        self.assertFalse(ticket.severity_excluded)
        self.assertEqual(len(ticket.severity_change_ids), 1)

        with self.at(60):
            self.wizard(
                dispatcher, ticket, "exclude", reason="Customer's own router"
            ).action_apply()
        self.assertTrue(ticket.severity_excluded)
        self.assertEqual(ticket.severity, "severe", "stays visible as it was")
        self.assertEqual(len(self.hook_calls), 1, "severity did not change")
        raised, excluded = ticket.severity_change_ids.sorted("id")
        self.assertEqual(
            (raised.source, raised.new_severity, raised.user_id, raised.date),
            ("dispatcher", "severe", self.users["dispatcher"], T + 5 * MIN),
        )
        self.assertIn("Cause unknown", raised.reason)
        self.assertEqual(
            (excluded.source, excluded.excluded, excluded.user_id, excluded.reason),
            ("exclusion", True, self.users["dispatcher"], "Customer's own router"),
        )
        self.assertEqual(excluded.date, T + 60 * MIN)

        # its milestones leave the figures, but stay on record
        clocks = ticket.sla_clock_ids
        self.assertTrue(all(clocks.mapped("severity_excluded")))
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "field_service_sla.fs_sla_clock_action"
        )
        self.assertIn("search_default_counted", action["context"])
        Clock = self.env["fs.sla.clock"]
        self.assertFalse(
            Clock.search([("id", "in", clocks.ids), ("severity_excluded", "=", False)])
        )
        self.assertIn(
            ticket,
            self.env["helpdesk.ticket"].search([("severity_excluded", "=", True)]),
        )

        with self.at(90):
            self.wizard(
                dispatcher, ticket, "include", reason="Our fault after all"
            ).action_apply()
        self.assertFalse(ticket.severity_excluded)
        self.assertFalse(any(clocks.mapped("severity_excluded")))
        self.assertEqual(
            ticket.severity_change_ids.sorted("id")[-1].source, "inclusion"
        )

    def test_new_clocks_of_an_excluded_ticket_are_excluded_too(self):
        ticket = self._ticket(T, line=self.line_aa)
        self.wizard(
            self.as_("dispatcher"), ticket, "exclude", reason="Other carrier"
        ).action_apply()
        ticket.with_user(self.users["dispatcher"]).service_line_id = self.line_aaa
        self.assertTrue(ticket.sla_clock_ids)
        self.assertTrue(all(ticket.sla_clock_ids.mapped("severity_excluded")))

    def test_a_closed_ticket_keeps_its_severity_but_can_be_excluded(self):
        ticket = self._ticket(T, line=self.line_aaa)
        ticket.stage_id = self.stage_done
        dispatcher = self.as_("dispatcher")
        with self.assertRefused(UserError, "is closed: its severity is final"):
            self.wizard(dispatcher, ticket, "raise", reason="doubt").action_apply()
        self.assertEqual(ticket.severity, "general")
        self.wizard(dispatcher, ticket, "exclude", reason="Power cut").action_apply()
        self.assertTrue(ticket.severity_excluded)

    def test_a_copy_is_a_new_fault(self):
        ticket = self._ticket(T, line=self.line_aaa)
        self.wizard(
            self.as_("dispatcher"), ticket, "raise", reason="doubt"
        ).action_apply()
        copy = ticket.with_user(self.users["technician"]).copy()
        self.assertEqual(copy.severity, "general")
        self.assertFalse(copy.severity_change_ids)

    def test_change_severity_both_ways(self):
        ticket = self._ticket(T, line=self.line_aaa)
        dispatcher = self.as_("dispatcher")
        self.wizard(
            dispatcher, ticket, "set", reason="Half the sites", severity="major"
        ).action_apply()
        self.wizard(
            dispatcher, ticket, "set", reason="One site only", severity="general"
        ).action_apply()
        self.assertEqual(ticket.severity, "general")
        self.assertEqual(
            ticket.severity_change_ids.sorted("id").mapped("new_severity"),
            ["major", "general"],
        )
        self.assertEqual(
            self.hook_calls, [{ticket.id: "general"}, {ticket.id: "major"}]
        )


@tagged("post_install", "-at_install")
class TestSeverityAccessAndBadInput(SeverityCase):
    def test_technician_and_account_manager_may_not_change_severity(self):
        ticket = self._ticket(T, line=self.line_aaa)
        for role in ("technician", "account_manager"):
            env = self.as_(role)
            mine = ticket.with_env(env)
            with self.subTest(role=role):
                with self.assertRefused(AccessError, "Only a dispatcher"):
                    mine.write({"severity": "severe"})
                with self.assertRefused(AccessError, "Only a dispatcher"):
                    mine.with_context(fs_severity_reason="x").write(
                        {"severity_excluded": True}
                    )
                with self.assertRefused(AccessError, "Only a dispatcher"):
                    mine.write({"impact_scope": "service_unusable"})
                with self.assertRaises(AccessError):
                    self.wizard(env, ticket, "raise", reason="doubt")
                # unchanged values pass (a form saves them)
                mine.write({"severity": "general", "impact_scope": False})
        self.assertEqual(ticket.severity, "general")
        self.assertFalse(ticket.severity_change_ids)

    def test_technician_may_not_create_a_severe_ticket(self):
        env = self.as_("technician")
        with self.assertRefused(AccessError, "Only a dispatcher"):
            env["helpdesk.ticket"].create(
                {
                    "name": "x",
                    "description": "x",
                    "team_id": self.team.id,
                    "severity": "severe",
                }
            )

    def test_dispatcher_creating_a_severe_ticket_logs_it(self):
        env = self.as_("dispatcher")
        ticket = (
            env["helpdesk.ticket"]
            .with_context(fs_severity_reason="Monitoring: all links red")
            .create(
                {
                    "name": "x",
                    "description": "x",
                    "team_id": self.team.id,
                    "severity": "severe",
                }
            )
        )
        log = ticket.severity_change_ids
        self.assertEqual(
            (log.source, log.old_severity, log.new_severity),
            ("dispatcher", "general", "severe"),
        )
        self.assertEqual(self.hook_calls, [{ticket.id: "general"}])

    def test_rule_threshold_must_not_be_negative(self):
        rule = self.env.ref("field_service_sla.severity_rule_voice")
        with self.assertRefused(ValidationError, "must be zero or more minutes"):
            rule.threshold_minutes = -5
        self.assertEqual(rule.threshold_minutes, 30)
        with self.assertRefused(ValidationError, "must be zero or more minutes"):
            self.env["fs.severity.rule"].create(
                {"name": "Bad", "threshold_minutes": -1, "severity": "major"}
            )

    def test_aggregation_settings_refuse_bad_values(self):
        params = self.env["ir.config_parameter"].sudo()
        cases = [
            ("field_service_sla.severity_complaint_count", "1", "at least 2"),
            ("field_service_sla.severity_complaint_count", "three", "at least 2"),
            ("field_service_sla.severity_complaint_minutes", "0", "above 0"),
            ("field_service_sla.severity_complaint_minutes", "-30", "above 0"),
        ]
        for key, value, message in cases:
            with self.subTest(key=key, value=value):
                with self.assertRefused(ValidationError, message):
                    params.set_param(key, value)
                self.assertIn(params.get_param(key), ("3", "30"))

    def test_wizard_refusals(self):
        ticket = self._ticket(T, line=self.line_aaa)
        dispatcher = self.as_("dispatcher")
        with self.assertRefused(UserError, "Choose the new severity"):
            self.wizard(dispatcher, ticket, "set", reason="x").action_apply()
        with self.assertRefused(UserError, "already counted"):
            self.wizard(dispatcher, ticket, "include", reason="x").action_apply()
        self.wizard(dispatcher, ticket, "raise", reason="doubt").action_apply()
        with self.assertRefused(UserError, "already Severe"):
            self.wizard(dispatcher, ticket, "raise", reason="doubt").action_apply()
        self.assertEqual(len(ticket.severity_change_ids), 1)


@tagged("post_install", "-at_install")
class TestShippedSeverityRules(SeverityCase):
    def test_readable_rules_are_the_shipped_data(self):
        """data/severity_rules.csv, the copy people read, says what the addon
        ships."""
        path = Path(__file__).resolve().parents[2] / "data" / "severity_rules.csv"
        if not path.exists():
            self.skipTest("data/ is not beside the addon (installed from a wheel)")
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        xmlids = self.env["ir.model.data"].search(
            [("module", "=", "field_service_sla"), ("model", "=", "fs.severity.rule")]
        )
        rules = self.env["fs.severity.rule"].browse(xmlids.mapped("res_id"))
        shipped = sorted(
            (
                str(r.sequence),
                r.name,
                "+".join(sorted(r.service_type_ids.mapped("code"))) or "ANY",
                r.importance,
                r.impact_scope or "",
                r.line_condition,
                "+".join(sorted(r.excluded_tier_ids.mapped("code"))),
                str(r.threshold_minutes),
                r.severity,
            )
            for r in rules.with_context(lang="en_US")
        )
        readable = sorted(
            (
                row["sequence"],
                row["rule"],
                row["service_types"],
                row["customers"],
                row["impact"],
                row["line"],
                row["except_tiers"],
                row["lasting_more_than_min"],
                row["severity"],
            )
            for row in rows
        )
        self.assertEqual(readable, shipped)
