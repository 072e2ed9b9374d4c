from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .escalation_common import EscalationCase


@tagged("post_install", "-at_install")
class TestEscalationConfig(EscalationCase):
    """Bad configuration is refused with a clear message and writes nothing."""

    def ladder(self, **step):
        return self.env["fs.escalation.ladder"].create(
            {"name": "Test ladder", "step_ids": [Command.create(step)]}
        )

    def counts(self):
        return (
            self.env["fs.escalation.ladder"].search_count([]),
            self.env["fs.escalation.step"].search_count([]),
        )

    def assertRefusedStep(self, pattern, **step):
        before = self.counts()
        with self.assertRefused(ValidationError, pattern):
            self.ladder(**step)
        self.assertEqual(self.counts(), before)

    def test_a_step_with_no_action(self):
        self.assertRefusedStep(
            "does nothing: give it at least one action",
            trigger="at_breach",
            milestone_kind="restored",
        )

    def test_a_repeat_interval_of_zero(self):
        self.assertRefusedStep(
            "repeats every 0 minutes",
            trigger="repeat",
            milestone_kind="restored",
            repeat_minutes=0,
            note="again",
        )

    def test_a_step_that_re_triggers_itself_without_a_limit(self):
        self.assertRefusedStep(
            "would re-trigger itself without end",
            trigger="repeat",
            repeat_minutes=60,
            note="again",
        )
        # bounded by a count or by a milestone: accepted
        self.ladder(trigger="repeat", repeat_minutes=60, max_repeats=3, note="x")
        self.ladder(
            trigger="repeat", repeat_minutes=60, milestone_kind="restored", note="x"
        )

    def test_an_email_template_for_another_model(self):
        template = self.env["mail.template"].create(
            {
                "name": "Partner greeting",
                "model_id": self.env["ir.model"]._get_id("res.partner"),
                "subject": "Hello",
            }
        )
        self.assertRefusedStep(
            "is written for res.partner, not for helpdesk tickets",
            trigger="at_breach",
            milestone_kind="restored",
            mail_template_id=template.id,
            mail_role_ids=[
                Command.set(
                    self.env.ref("field_service_sla.escalation_role_team_leader").ids
                )
            ],
        )

    def test_a_time_trigger_without_its_milestone(self):
        self.assertRefusedStep(
            "needs the milestone its trigger reads", trigger="at_breach", note="x"
        )

    def test_an_edit_that_breaks_a_shipped_step_is_refused(self):
        step = self.env.ref(
            "field_service_sla.escalation_ladder_severe_bulletins"
        ).step_ids.filtered(lambda s: s.trigger == "repeat")
        with self.assertRefused(ValidationError, "repeats every 0 minutes"):
            step.repeat_minutes = 0
        self.assertEqual(step.repeat_minutes, 120)

    def test_an_invalid_sms_number_is_refused_and_the_valid_ones_still_serve(self):
        sms_list = self.bulletin_list
        before = sms_list.number_ids
        with self.assertRefused(ValidationError, r"12345 \(Typo\), call-me"):
            sms_list.write(
                {
                    "number_ids": [
                        Command.create({"name": "Typo", "number": "12345"}),
                        Command.create({"number": "call-me"}),
                        Command.create({"name": "Good", "number": "13700000000"}),
                    ]
                }
            )
        self.assertEqual(sms_list.number_ids, before)
        self.assertEqual(
            sms_list._numbers(),
            ["+8613900000001", "+8613900000002", "+8613900000003"],
        )
