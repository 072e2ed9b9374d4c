from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged

from .common import SlaCase, sh


@tagged("post_install", "-at_install")
class TestSlaConfigError(SlaCase):
    """Intake never stops because of the SLA configuration: a calendar edit
    that would stop it is refused, and a calendar broken some other way still
    lets faults be logged, with their clocks in configuration error."""

    def _warnings(self, policy):
        warning = self.env.ref("mail.mail_activity_data_warning")
        return policy.activity_ids.filtered(lambda a: a.activity_type_id == warning)

    def test_removing_every_working_hour_is_refused_naming_the_policies(self):
        hours = len(self.office.attendance_ids)
        with self.assertRefused(ValidationError, r"Test AA \(office hours\)"):
            self.office.attendance_ids = [(5, 0, 0)]
        with self.assertRefused(ValidationError, "no working time"):
            self.office.attendance_ids.unlink()
        with self.assertRefused(ValidationError, "no working time"):
            self.office.attendance_ids.write({"hour_from": 9, "hour_to": 9})
        self.assertEqual(len(self.office.attendance_ids), hours)

    def test_a_leave_covering_everything_is_refused(self):
        now = self.env.cr.now().replace(tzinfo=None)
        with self.assertRefused(ValidationError, "Test AA"):
            self.env["resource.calendar.leaves"].create(
                {
                    "name": "Closed for ever",
                    "calendar_id": self.office.id,
                    "date_from": now - timedelta(days=1),
                    "date_to": now + timedelta(days=800),
                }
            )
        self.assertFalse(
            self.env["resource.calendar.leaves"].search(
                [("name", "=", "Closed for ever")]
            )
        )

    def test_ordinary_calendar_edits_still_save(self):
        morning = self.office.attendance_ids[:1]
        morning.hour_from = 9
        self.office.attendance_ids = [
            (0, 0, {"name": "Sat", "dayofweek": "5", "hour_from": 9, "hour_to": 12})
        ]
        self.assertEqual(morning.hour_from, 9)

    def test_replacing_all_hours_in_one_save_is_judged_on_the_result(self):
        self.office.attendance_ids = [
            (5, 0, 0),
            (0, 0, {"name": "Mon", "dayofweek": "0", "hour_from": 8, "hour_to": 17}),
        ]
        self.assertEqual(len(self.office.attendance_ids), 1)

    def _break_office_calendar(self):
        """What the edit check cannot see: hours removed in SQL."""
        self.env.flush_all()
        self.env.cr.execute(
            "DELETE FROM resource_calendar_attendance WHERE calendar_id = %s",
            [self.office.id],
        )
        self.env.invalidate_all()

    def test_a_fault_is_logged_on_a_broken_calendar(self):
        self._break_office_calendar()
        ticket = self._ticket(sh(2026, 3, 2, 10, 0), line=self.line_aa)
        self.assertEqual(ticket.sla_policy_id, self.policy_aa)
        contact = self.clock(ticket, "contact")
        self.assertEqual((contact.state, contact.deadline), ("config_error", False))
        # the around-the-clock restore milestone is computed as usual
        self.assertEqual(self.clock(ticket, "restored").state, "running")
        self.assertEqual(ticket.sla_state, "config_error")
        self.assertIn(
            ticket,
            self.env["helpdesk.ticket"].search([("sla_state", "=", "config_error")]),
        )
        activity = self._warnings(self.policy_aa)
        self.assertEqual(len(activity), 1)
        self.assertIn(
            activity.user_id,
            self.env.ref("field_service_sla.group_fs_sla_admin").all_user_ids,
        )
        self.assertIn(ticket.display_name, str(activity.note))
        # more faults, in a batch and alone: still one activity for the policy
        with freeze_time(sh(2026, 3, 2, 10, 5)):
            more = self.env["helpdesk.ticket"].create(
                [
                    {
                        "name": f"Down {i}",
                        "description": "x",
                        "team_id": self.team.id,
                        "service_line_id": self.line_aa.id,
                    }
                    for i in range(5)
                ]
            )
        self._ticket(sh(2026, 3, 2, 10, 6), line=self.line_aa)
        self.assertEqual(set(more.mapped("sla_state")), {"config_error"})
        self.assertEqual(len(self._warnings(self.policy_aa)), 1)
        self.assertIn(more[-1].display_name, str(self._warnings(self.policy_aa).note))
        # later events on a ticket already in error do not repeat it
        with freeze_time(sh(2026, 3, 2, 10, 7)):
            ticket.stage_id = self.stage_progress
            ticket.priority = "3"
        note = str(self._warnings(self.policy_aa).note)
        self.assertEqual(note.count(ticket.display_name), 1)

    def test_a_technician_logs_a_fault_on_a_broken_calendar(self):
        technician = new_test_user(
            self.env,
            login="broken_cal_technician",
            groups="field_service_sla.group_fs_technician",
        )
        technician.helpdesk_team_ids = self.team
        self._break_office_calendar()
        with freeze_time(sh(2026, 3, 2, 10, 0)):
            ticket = (
                self.env["helpdesk.ticket"]
                .with_user(technician)
                .create(
                    {
                        "name": "Line down",
                        "description": "Alarm",
                        "team_id": self.team.id,
                        "service_line_id": self.line_aa.id,
                    }
                )
            )
        self.assertEqual(ticket.sla_state, "config_error")
        self.assertEqual(len(self._warnings(self.policy_aa)), 1)

    def test_fixing_the_calendar_recomputes_the_clocks(self):
        self._break_office_calendar()
        ticket = self._ticket(sh(2026, 3, 2, 10, 0), line=self.line_aa)
        with freeze_time(sh(2026, 3, 2, 10, 5)):
            self.office.attendance_ids = [
                Command.create(
                    {"name": "Mon", "dayofweek": "0", "hour_from": 8.5, "hour_to": 17.5}
                )
            ]
        contact = self.clock(ticket, "contact")
        self.assertEqual(
            (contact.state, contact.deadline), ("running", sh(2026, 3, 2, 10, 30))
        )
        self.assertEqual(ticket.sla_state, "running")

    def test_simulate_tells_the_configuration_error(self):
        self._break_office_calendar()
        simulation = self.env["fs.sla.simulate"].create(
            {"policy_id": self.policy_aa.id, "create_date_sim": sh(2026, 3, 2, 10, 0)}
        )
        rows = {r["kind"]: r for r in simulation._simulate()}
        self.assertTrue(rows["contact"]["error"])
        self.assertIn("Configuration error", rows["contact"]["deadline"])
        self.assertFalse(rows["restored"]["error"])
        self.assertIn("Configuration error", simulation.result_html)
