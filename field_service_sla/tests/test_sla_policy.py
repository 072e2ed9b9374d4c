import csv
from pathlib import Path

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import SlaCase, sh


@tagged("post_install", "-at_install")
class TestSlaPolicy(SlaCase):
    def test_most_specific_policy_wins_then_sequence(self):
        ticket = self._ticket(sh(2026, 3, 2, 10, 0))
        self.assertEqual(ticket.sla_policy_id, self.policy_aaa)  # team + level
        # a third condition outranks it whatever the sequence
        specific = self.policy_aaa.copy(
            {
                "name": "AAA internet",
                "sequence": 999,
                "service_type_ids": [(6, 0, self.internet.ids)],
            }
        )
        ticket.priority = "2"
        self.assertEqual(ticket.sla_policy_id, specific)
        # equal specificity: the lower sequence wins
        rival = specific.copy(
            {
                "name": "AAA diamond",
                "sequence": 1,
                "service_type_ids": [],
                "tier_ids": [(6, 0, self.diamond.ids)],
            }
        )
        ticket.priority = "3"
        self.assertEqual(ticket.sla_policy_id, rival)

    def test_shipped_matrix_applies_to_tickets_of_any_team(self):
        ticket = self.env["helpdesk.ticket"].create(
            {"name": "Down", "description": "x", "service_line_id": self.line_aaa.id}
        )
        self.assertEqual(
            ticket.sla_policy_id, self.env.ref("field_service_sla.policy_group_aaa")
        )
        targets = {c.kind: c.target_hours for c in ticket.sla_clock_ids}
        self.assertEqual(targets["contact"], 0.25)
        self.assertEqual(targets["on_site"], 1)
        home = self.env["res.partner"].create(
            {
                "name": "Home",
                "customer_segment": "home",
                "customer_tier_id": self.env.ref("field_service_sla.tier_home").id,
            }
        )
        urgent = self.env["helpdesk.ticket"].create(
            {
                "name": "No internet",
                "description": "x",
                "partner_id": home.id,
                "priority": "3",
            }
        )
        self.assertEqual(
            urgent.sla_policy_id, self.env.ref("field_service_sla.policy_home_urgent")
        )
        self.assertEqual(
            {c.kind: c.target_hours for c in urgent.sla_clock_ids},
            {"contact": 2, "restored": 4},
        )

    def test_equal_rank_overlap_is_flagged_on_the_policy_list(self):
        self.assertFalse(self.policy_aaa.conflict_warning)
        twin = self.policy_aaa.copy(
            {"name": "Twin", "sequence": self.policy_aaa.sequence}
        )
        self.policy_aaa.invalidate_recordset(["conflict_warning"])
        self.assertIn("Twin", self.policy_aaa.conflict_warning)
        self.assertIn("Test AAA", twin.conflict_warning)
        self.assertIn("Same precedence as", twin.conflict_warning)
        # ranked after, and broader: it still governs the AA tickets
        twin.write({"sequence": twin.sequence + 1, "level_ids": [(4, self.aa.id)]})
        (self.policy_aaa | twin).invalidate_recordset(["conflict_warning"])
        self.assertFalse(twin.conflict_warning)
        self.assertFalse(self.policy_aaa.conflict_warning)

    def test_a_copy_with_a_lower_sequence_flags_the_policy_it_shadows(self):
        """A new policy with the shipped AA conditions and the default sequence
        takes every AA ticket: the shipped one can never apply, and says so."""
        shipped = self.env.ref("field_service_sla.policy_group_aa")
        self.assertFalse(shipped.shadowed_by_id)
        mine = self.env["fs.sla.policy"].create(
            {
                "name": "My AA",
                "segment": shipped.segment,
                "level_ids": [(6, 0, shipped.level_ids.ids)],
            }
        )
        self.assertLess(mine.sequence, shipped.sequence)
        shipped.invalidate_recordset(["shadowed_by_id", "conflict_warning"])
        self.assertEqual(shipped.shadowed_by_id, mine)
        self.assertIn("Never applies: My AA takes precedence", shipped.conflict_warning)
        self.assertIn(
            f"Takes precedence over {shipped.display_name}", mine.conflict_warning
        )
        self.assertNotIn("priority", shipped.conflict_warning.lower())
        listed = self.env["fs.sla.policy"].search_read(
            [("id", "in", (shipped | mine).ids)], ["shadowed_by_id"]
        )
        self.assertEqual(
            {r["id"]: r["shadowed_by_id"] and r["shadowed_by_id"][0] for r in listed},
            {shipped.id: mine.id, mine.id: False},
        )
        mine.active = False
        shipped.invalidate_recordset(["shadowed_by_id", "conflict_warning"])
        self.assertFalse(shipped.shadowed_by_id)

    def test_the_form_warns_before_saving_a_policy_that_never_applies(self):
        shipped = self.env.ref("field_service_sla.policy_group_aa")
        form = Form(self.env["fs.sla.policy"])
        form.name = "Late AA"
        form.sequence = shipped.sequence + 5
        form.segment = "enterprise"
        form.level_ids.add(self.aa)
        self.assertIn(
            f"Never applies: {shipped.display_name} takes precedence",
            form.conflict_warning,
        )
        form.sequence = shipped.sequence - 5
        self.assertIn(
            f"Takes precedence over {shipped.display_name}", form.conflict_warning
        )

    def test_disjoint_policies_of_equal_rank_are_not_flagged(self):
        self.assertEqual(self.policy_aaa.sequence, self.policy_aa.sequence)
        self.assertFalse(self.policy_aa.conflict_warning)  # AAA vs AA never both match

    def test_simulate_shows_each_deadline(self):
        wizard = self.env["fs.sla.simulate"].create(
            {
                "policy_id": self.policy_aa.id,
                "create_date_sim": sh(2026, 3, 6, 16, 50),
                "pause_ids": [
                    (
                        0,
                        0,
                        {
                            "reason_id": self.wait_customer.id,
                            "start_date": sh(2026, 3, 6, 17, 0),
                            "end_date": sh(2026, 3, 6, 19, 0),
                        },
                    )
                ],
            }
        )
        rows = {r["kind"]: r for r in wizard._simulate()}
        self.assertEqual(rows["contact"]["deadline_utc"], sh(2026, 3, 9, 8, 50))
        self.assertEqual(rows["restored"]["deadline_utc"], sh(2026, 3, 7, 2, 50))
        # the user's date format and weekday, in the user's zone
        self.assertIn("03/09/2026 08:50 AM (Mon)", wizard.result_html)
        action = self.policy_aa.action_simulate()
        self.assertEqual(action["res_model"], "fs.sla.simulate")

    def test_simulate_form_updates_live(self):
        form = Form(
            self.env["fs.sla.simulate"].with_context(
                default_policy_id=self.policy_aaa.id
            )
        )
        form.create_date_sim = sh(2026, 3, 2, 10, 0)
        self.assertIn("03/02/2026 10:15 AM (Mon)", form.result_html)
        # a pause starts at the simulated creation, not at the current time
        with form.pause_ids.new() as pause:
            self.assertEqual(pause.start_date, sh(2026, 3, 2, 10, 0))
            pause.end_date = sh(2026, 3, 2, 11, 0)
        self.assertIn("03/02/2026 11:15 AM (Mon)", form.result_html)

    def test_simulate_speaks_the_users_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        wizard = (
            self.env["fs.sla.simulate"]
            .with_context(lang="zh_CN", tz="Asia/Shanghai")
            .create(
                {
                    "policy_id": self.policy_aaa.id,
                    "create_date_sim": sh(2026, 3, 2, 10, 0),
                }
            )
        )
        self.assertIn("2026/03/02 10:15 (周一)", wizard.result_html)

    def test_simulate_refuses_a_pause_that_ends_before_it_starts(self):
        form = Form(
            self.env["fs.sla.simulate"].with_context(
                default_policy_id=self.policy_aaa.id
            )
        )
        form.create_date_sim = sh(2026, 3, 2, 10, 0)
        with self.assertRefused(
            UserError, r"Pause 1 ends at 03/02/2026 09:00 AM \(Mon\), before it starts"
        ), form.pause_ids.new() as pause:
            pause.start_date = sh(2026, 3, 2, 10, 0)
            pause.end_date = sh(2026, 3, 2, 9, 0)


@tagged("post_install", "-at_install")
class TestShippedMatrix(SlaCase):
    def test_readable_matrix_is_the_shipped_data(self):
        """data/sla_matrix.csv, the copy people read, says what the addon ships."""
        path = Path(__file__).resolve().parents[2] / "data" / "sla_matrix.csv"
        if not path.exists():
            self.skipTest("data/ is not beside the addon (installed from a wheel)")
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        kinds = dict(self.env["fs.sla.milestone"]._fields["kind"].selection)
        events = dict(self.env["fs.sla.milestone"]._fields["start_event"].selection)
        shipped = self.env["fs.sla.policy"].search(
            [
                (
                    "id",
                    "in",
                    [
                        self.env.ref(f"field_service_sla.{x}").id
                        for x in (
                            "policy_group_aaa",
                            "policy_group_aa",
                            "policy_group_a",
                            "policy_home_urgent",
                            "policy_home_general",
                        )
                    ],
                )
            ]
        )
        expected = sorted(
            (
                p.name,
                kinds[m.kind].lower(),
                m.target_hours,
                "office hours" if m.calendar_id else "24/7",
                events[m.start_event].lower(),
            )
            for p in shipped
            for m in p.milestone_ids
        )
        got = sorted(
            (
                r["policy"],
                r["milestone"],
                float(r["target_hours"]),
                r["calendar"],
                r["starts_at"],
            )
            for r in rows
        )
        self.assertEqual(got, expected)


@tagged("post_install", "-at_install")
class TestPolicyChanges(SlaCase):
    def test_changed_milestone_applies_to_open_tickets_only(self):
        open_ticket = self._ticket(sh(2026, 3, 2, 10, 0))
        closed_ticket = self._ticket(sh(2026, 3, 2, 10, 0))
        with freeze_time(sh(2026, 3, 2, 10, 30)):
            closed_ticket.stage_id = self.stage_done
        before = self.clock(closed_ticket, "restored").read(["deadline", "state"])
        restored = self.policy_aaa.milestone_ids.filtered(
            lambda m: m.kind == "restored"
        )
        with freeze_time(sh(2026, 3, 2, 11, 0)):
            restored.target_hours = 6
        self.assertEqual(
            self.clock(open_ticket, "restored").deadline, sh(2026, 3, 2, 16, 0)
        )
        self.assertEqual(
            self.clock(closed_ticket, "restored").read(["deadline", "state"]), before
        )
        self.assertIn("1 open tickets", self.policy_aaa.message_ids[0].body)

    def test_new_conditions_do_not_switch_an_open_ticket_until_reclassified(self):
        ticket = self._ticket(sh(2026, 3, 2, 10, 0))
        specific = self.policy_aaa.copy(
            {"name": "AAA internet", "service_type_ids": [(6, 0, self.internet.ids)]}
        )
        with freeze_time(sh(2026, 3, 2, 10, 5)):
            ticket.stage_id = self.stage_progress
        self.assertEqual(ticket.sla_policy_id, self.policy_aaa)
        with freeze_time(sh(2026, 3, 2, 10, 6)):
            ticket.priority = "2"
        self.assertEqual(ticket.sla_policy_id, specific)
