from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import SlaCase, sh


@tagged("post_install", "-at_install")
class TestSlaTimesIntegrity(SlaCase):
    """The times that drive the clocks change only by a dispatcher's
    correction with a reason, and a breach that happened is never erased."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups = {
            "technician": "field_service_sla.group_fs_technician",
            "dispatcher": "field_service_sla.group_fs_dispatcher",
            "sla_admin": "field_service_sla.group_fs_sla_admin",
        }
        cls.users = {
            role: new_test_user(
                cls.env, login=f"integrity_{role}", groups=group, tz="Asia/Shanghai"
            )
            for role, group in groups.items()
        }
        cls.users["technician"].helpdesk_team_ids = cls.team

    def as_(self, role, record):
        return record.with_user(self.users[role])

    def _correct(self, role, ticket, reason="Alarm time mistyped", **times):
        wizard = (
            self.env["fs.sla.time.correction"]
            .with_user(self.users[role])
            .with_context(default_ticket_id=ticket.id)
            .create({"reason": reason, **times})
        )
        return wizard.action_apply()

    def _breached_ticket(self):
        """Reported 10:00; contact due 10:15, swept at 10:16, contacted 10:20;
        restore due 14:00, restored 14:30: two breaches."""
        ticket = self._ticket(sh(2026, 3, 2, 10, 0))
        with freeze_time(sh(2026, 3, 2, 10, 16)):
            self.env["fs.sla.clock"]._cron_mark_breaches()
        with freeze_time(sh(2026, 3, 2, 10, 20)):
            ticket.action_sla_contacted()
        with freeze_time(sh(2026, 3, 2, 14, 30)):
            ticket.action_sla_restored()
        return ticket

    def test_technician_records_times_but_cannot_change_them(self):
        ticket = self._ticket(sh(2026, 3, 2, 10, 0))
        mine = self.as_("technician", ticket)
        with freeze_time(sh(2026, 3, 2, 10, 10)):
            mine.on_site_date = sh(2026, 3, 2, 10, 8)  # recording a time: fine
            mine.action_sla_contacted()
        with self.assertRefused(UserError, "Correct SLA times"):
            mine.reported_date = sh(2026, 3, 2, 11, 0)
        with self.assertRefused(UserError, "First contact"):
            mine.first_contact_date = sh(2026, 3, 2, 10, 12)
        with self.assertRefused(UserError, "Arrived on site"):
            mine.on_site_date = False
        ticket.invalidate_recordset()
        self.assertEqual(ticket.reported_date, sh(2026, 3, 2, 10, 0))
        self.assertEqual(ticket.first_contact_date, sh(2026, 3, 2, 10, 10))
        self.assertEqual(ticket.on_site_date, sh(2026, 3, 2, 10, 8))

    def test_technician_cannot_use_the_correction_wizard(self):
        ticket = self._ticket(sh(2026, 3, 2, 10, 0))
        with self.assertRaises(AccessError):
            self._correct("technician", ticket, reported_date=sh(2026, 3, 2, 9, 0))
        self.assertEqual(ticket.reported_date, sh(2026, 3, 2, 10, 0))

    def test_dispatcher_corrects_with_a_reason_logged_old_and_new(self):
        ticket = self._ticket(sh(2026, 3, 2, 10, 0))
        with freeze_time(sh(2026, 3, 2, 10, 5)):
            self._correct(
                "dispatcher",
                ticket,
                reason="Alarm came in at 09:50",
                reported_date=sh(2026, 3, 2, 9, 50),
            )
        self.assertEqual(ticket.reported_date, sh(2026, 3, 2, 9, 50))
        self.assertEqual(self.clock(ticket, "contact").deadline, sh(2026, 3, 2, 10, 5))
        body = ticket.message_ids[0].body
        self.assertIn("Alarm came in at 09:50", body)
        self.assertIn("Reported at: 2026-03-02 10:00 → 2026-03-02 09:50", body)

    def test_correction_needs_a_reason_and_a_change(self):
        ticket = self._ticket(sh(2026, 3, 2, 10, 0))
        with self.assertRefused(UserError, "reason"):
            self._correct(
                "dispatcher", ticket, reason="  ", reported_date=sh(2026, 3, 2, 9, 0)
            )
        with self.assertRefused(UserError, "nothing to correct"):
            self._correct("dispatcher", ticket)
        self.assertEqual(ticket.reported_date, sh(2026, 3, 2, 10, 0))

    def test_correction_putting_a_reach_before_its_start_is_refused(self):
        """The defect: the reported time moved past first contact and restore
        put the ticket back to running with a restore duration of 00:00."""
        ticket = self._breached_ticket()
        messages = len(ticket.message_ids)
        with self.assertRefused(ValidationError, "before the fault was reported"):
            self._correct(
                "dispatcher", ticket, reported_date=sh(2026, 3, 2, 15, 0)
            )
        ticket.invalidate_recordset()
        self.assertEqual(ticket.reported_date, sh(2026, 3, 2, 10, 0))
        self.assertEqual(ticket.sla_state, "breached")
        self.assertAlmostEqual(ticket.restore_duration_hours, 4.5)
        self.assertEqual(len(ticket.message_ids), messages)

    def test_a_breach_survives_a_correction_that_would_meet_the_target(self):
        ticket = self._breached_ticket()
        contact = self.clock(ticket, "contact")
        self.assertEqual(contact.breached_at, sh(2026, 3, 2, 10, 15))  # by the sweep
        restored = self.clock(ticket, "restored")
        self.assertEqual(restored.breached_at, sh(2026, 3, 2, 14, 0))  # late reach
        # contacted 10:20, restored 14:30: reported at 10:10 would meet both
        with freeze_time(sh(2026, 3, 2, 15, 0)):
            self._correct("dispatcher", ticket, reported_date=sh(2026, 3, 2, 10, 10))
        self.assertEqual(contact.deadline, sh(2026, 3, 2, 10, 25))
        self.assertEqual(
            (contact.state, contact.breached_at, contact.breach_count),
            ("breached", sh(2026, 3, 2, 10, 15), 1),
        )
        self.assertEqual(restored.state, "breached")
        self.assertEqual(ticket.sla_state, "breached")
        [(counted,)] = self.env["fs.sla.clock"]._read_group(
            [("ticket_id", "=", ticket.id)], [], ["breach_count:sum"]
        )
        self.assertEqual(counted, 2)

    def test_sla_administrator_waives_a_breach_with_a_reason(self):
        ticket = self._breached_ticket()
        with freeze_time(sh(2026, 3, 2, 15, 0)):
            self._correct("dispatcher", ticket, reported_date=sh(2026, 3, 2, 10, 10))
        contact = self.clock(ticket, "contact")
        waiver = (
            self.env["fs.sla.breach.waiver"]
            .with_user(self.users["sla_admin"])
            .create(
                {
                    "ticket_id": ticket.id,
                    "clock_id": contact.id,
                    "reason": "Customer gave a wrong number",
                }
            )
        )
        with freeze_time(sh(2026, 3, 2, 15, 5)):
            waiver.action_waive()
        self.assertEqual(
            (contact.state, contact.breach_count, contact.breach_waived),
            ("met", 0, True),
        )
        self.assertEqual(contact.breached_at, sh(2026, 3, 2, 10, 15))
        self.assertEqual(contact.waived_by_id, self.users["sla_admin"])
        self.assertEqual(contact.waiver_reason, "Customer gave a wrong number")
        self.assertIn("Customer gave a wrong number", ticket.message_ids[0].body)
        # the restore breach is still counted
        self.assertEqual(ticket.sla_breach_count, 1)
        self.assertEqual(ticket.sla_state, "breached")

    def test_only_the_sla_administrator_waives(self):
        ticket = self._breached_ticket()
        contact = self.clock(ticket, "contact")
        with self.assertRaises(AccessError):
            self.env["fs.sla.breach.waiver"].with_user(
                self.users["dispatcher"]
            ).create({"ticket_id": ticket.id, "clock_id": contact.id, "reason": "x"})
        self.assertEqual(contact.breach_count, 1)

    def test_recording_an_earlier_reach_after_the_sweep_keeps_the_breach(self):
        ticket = self._ticket(sh(2026, 3, 2, 10, 0))
        with freeze_time(sh(2026, 3, 2, 10, 16)):
            self.env["fs.sla.clock"]._cron_mark_breaches()
        with freeze_time(sh(2026, 3, 2, 10, 30)):
            self.as_("technician", ticket).first_contact_date = sh(2026, 3, 2, 10, 5)
        contact = self.clock(ticket, "contact")
        self.assertEqual(contact.reached_date, sh(2026, 3, 2, 10, 5))
        self.assertEqual((contact.state, contact.breach_count), ("breached", 1))

    def test_a_client_context_does_not_let_a_technician_change_a_time(self):
        ticket = self._ticket(sh(2026, 3, 2, 10, 0))
        forged = self.as_("technician", ticket).with_context(
            fs_sla_correction=True, fs_sla_no_sync=True
        )
        with self.assertRefused(UserError, "Correct SLA times"):
            forged.reported_date = sh(2026, 3, 2, 11, 0)
        self.assertEqual(ticket.reported_date, sh(2026, 3, 2, 10, 0))

    def test_a_fault_cannot_be_reported_in_the_future(self):
        with (
            freeze_time(sh(2026, 3, 2, 10, 0)),
            self.assertRefused(ValidationError, "in the future"),
        ):
            self.env["helpdesk.ticket"].create(
                {
                    "name": "Down",
                    "description": "x",
                    "team_id": self.team.id,
                    "reported_date": sh(2026, 3, 2, 12, 0),
                }
            )

    def test_correction_putting_a_reach_before_a_later_start_is_refused(self):
        self.env["fs.sla.milestone"].create(
            {
                "policy_id": self.policy_aaa.id,
                "kind": "on_site",
                "target_hours": 1,
                "start_event": "confirm",
            }
        )
        ticket = self._ticket(sh(2026, 3, 2, 10, 0))
        with freeze_time(sh(2026, 3, 2, 10, 30)):
            ticket.action_sla_confirm_fault()
        with freeze_time(sh(2026, 3, 2, 11, 0)):
            ticket.action_sla_on_site()
        self.assertEqual(self.clock(ticket, "on_site").state, "met")
        with (
            freeze_time(sh(2026, 3, 2, 11, 5)),
            self.assertRefused(ValidationError, "before its clock started at"),
        ):
            self._correct(
                "dispatcher", ticket, fault_confirmed_date=sh(2026, 3, 2, 11, 2)
            )
        ticket.invalidate_recordset()
        self.assertEqual(ticket.fault_confirmed_date, sh(2026, 3, 2, 10, 30))
        self.assertEqual(self.clock(ticket, "on_site").state, "met")

    def test_a_client_context_does_not_skip_the_clocks(self):
        ticket = self._ticket(sh(2026, 3, 2, 10, 0))
        with freeze_time(sh(2026, 3, 2, 10, 5)):
            self.as_("technician", ticket).with_context(
                fs_sla_no_sync=True
            ).first_contact_date = sh(2026, 3, 2, 10, 5)
        self.assertEqual(self.clock(ticket, "contact").state, "met")

    def test_a_milestone_cannot_be_reached_in_the_future(self):
        ticket = self._ticket(sh(2026, 3, 2, 10, 0))
        with (
            freeze_time(sh(2026, 3, 2, 10, 5)),
            self.assertRefused(ValidationError, "First contact cannot be in the"),
        ):
            self.as_("technician", ticket).first_contact_date = sh(2026, 3, 2, 10, 14)
        self.assertFalse(ticket.first_contact_date)
        self.assertEqual(self.clock(ticket, "contact").state, "running")

    def test_a_breach_survives_a_reclassification_that_drops_its_milestone(self):
        ticket = self._ticket(sh(2026, 3, 2, 10, 0))
        with freeze_time(sh(2026, 3, 2, 18, 1)):
            self.env["fs.sla.clock"]._cron_mark_breaches()
            self.as_("dispatcher", ticket).assurance_level_id = self.aa
        self.assertEqual(ticket.sla_policy_id, self.policy_aa)  # no "resolved"
        resolved = self.clock(ticket, "resolved")
        self.assertEqual(
            (resolved.state, resolved.breached_at, resolved.breach_count),
            ("breached", sh(2026, 3, 2, 18, 0), 1),
        )
        self.assertEqual(ticket.sla_state, "breached")
