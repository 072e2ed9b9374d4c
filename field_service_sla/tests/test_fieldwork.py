"""Field work on the order: appointments, check-in, absent customer, work log,
observation, the checks before leaving, crew and access."""

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user

from .common import SlaCase, sh


class FieldworkCase(SlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.technician = new_test_user(
            cls.env,
            login="fw_technician",
            groups="field_service_sla.group_fs_technician",
            tz="Asia/Shanghai",
        )
        cls.other_technician = new_test_user(
            cls.env,
            login="fw_technician2",
            groups="field_service_sla.group_fs_technician",
        )
        cls.dispatcher = new_test_user(
            cls.env,
            login="fw_dispatcher",
            groups="field_service_sla.group_fs_dispatcher",
        )
        cls.account_manager = new_test_user(
            cls.env,
            login="fw_account_manager",
            groups="field_service_sla.group_fs_account_manager",
        )
        # technicians work the tickets of their helpdesk team
        cls.team.user_ids = cls.technician | cls.other_technician
        Person = cls.env["fsm.person"]
        cls.worker = Person.create({"partner_id": cls.technician.partner_id.id})
        cls.other_worker = Person.create(
            {"partner_id": cls.other_technician.partner_id.id}
        )
        cls.home = cls.env["res.partner"].create(
            {"name": "Li Wei", "customer_segment": "home", "phone": "13800000000"}
        )
        cls.home_line = cls.env["fs.service.line"].create(
            {
                "circuit_ref": "BB-HOME-1",
                "partner_id": cls.home.id,
                "service_type_id": cls.internet.id,
                "assurance_level_id": cls.level_std.id,
            }
        )
        cls.home_policy = cls.env["fs.sla.policy"].create(
            {
                "name": "Test home broadband",
                "segment": "home",
                "team_ids": [(6, 0, cls.team.ids)],
                "milestone_ids": [
                    (
                        0,
                        0,
                        {
                            "sequence": 1,
                            "kind": "restored",
                            "target_hours": 24,
                            "pause_reason_ids": [(6, 0, cls.appointment.ids)],
                        },
                    )
                ],
            }
        )
        cls.location = cls.env["fsm.location"].create(
            {"name": "Li Wei, Room 301", "owner_id": cls.home.id}
        )

    def _order(self, ticket, when, person=None, **values):
        with freeze_time(when):
            return self.env["fsm.order"].create(
                {
                    "ticket_id": ticket.id,
                    "location_id": self.location.id,
                    "person_id": (person or self.worker).id,
                    **values,
                }
            )

    def _home_ticket(self, reported):
        return self._ticket(reported, self.home_line)


class TestHomeBroadbandRepair(FieldworkCase):
    def test_repair_with_reschedule_absence_and_observation(self):
        ticket = self._home_ticket(sh(2026, 3, 2, 9, 0))
        restore = self.clock(ticket, "restored")
        self.assertEqual(restore.state, "running")
        order = self._order(ticket, sh(2026, 3, 2, 9, 10))
        self.assertEqual(order.fs_dispatch_date, sh(2026, 3, 2, 9, 10))
        self.assertEqual(order.fs_contact_deadline, sh(2026, 3, 2, 11, 10))
        self.assertEqual(order.fs_segment, "home")
        mine = order.with_user(self.technician)

        with freeze_time(sh(2026, 3, 2, 9, 20)):
            self.assertEqual(mine.fs_contact_state, "pending")
            mine.action_fs_contacted()
            mine.write(
                {
                    "fs_appointment_start": sh(2026, 3, 2, 10, 0),
                    "fs_appointment_end": sh(2026, 3, 2, 11, 0),
                }
            )
        self.assertEqual(mine.fs_contact_state, "met")

        # the customer asks for the afternoon: the restore clock waits
        with freeze_time(sh(2026, 3, 2, 9, 30)):
            change = (
                self.env["fs.appointment.change"]
                .with_user(self.technician)
                .create(
                    {
                        "order_id": order.id,
                        "caused_by": "customer",
                        "reason": "Customer at work until 14:00",
                        "new_start": sh(2026, 3, 2, 14, 0),
                        "new_end": sh(2026, 3, 2, 15, 0),
                    }
                )
            )
        self.assertEqual(change.old_start, sh(2026, 3, 2, 10, 0))
        self.assertFalse(change.short_notice)
        self.assertEqual(change.user_id, self.technician)
        self.assertEqual(order.fs_appointment_start, sh(2026, 3, 2, 14, 0))
        self.assertEqual(restore.state, "paused")
        pause = ticket.sla_pause_ids
        self.assertEqual(pause.reason_id, self.appointment)

        # first visit: on time, but nobody at home
        with freeze_time(sh(2026, 3, 2, 13, 52)):
            mine.action_fs_check_in()
        self.assertEqual(order.fs_check_in_verdict, "on_time")
        self.assertEqual(pause.end_date, sh(2026, 3, 2, 13, 52))
        self.assertEqual(restore.state, "running")
        self.assertIn("arrived on site", ticket.message_ids[0].body)
        self.assertEqual(ticket.on_site_date, sh(2026, 3, 2, 13, 52))
        Visit = self.env["fs.visit.note"].with_user(self.technician)
        absent = {
            "order_id": order.id,
            "phone": "13800000000",
            "contact_name": "Li Wei",
            "next_start": sh(2026, 3, 2, 16, 0),
            "next_end": sh(2026, 3, 2, 17, 0),
        }
        # arrived before the 14:00 appointment: the wait counts from 14:00
        with (
            freeze_time(sh(2026, 3, 2, 14, 8)),
            self.assertRefused(UserError, "wait for the customer until .*14:15"),
        ):
            Visit.create(absent)
        self.assertFalse(order.fs_visit_note_ids)
        with freeze_time(sh(2026, 3, 2, 14, 15)):
            visit = Visit.create(absent)
        self.assertEqual(visit.arrived_date, sh(2026, 3, 2, 13, 52))
        self.assertEqual(visit.left_date, sh(2026, 3, 2, 14, 15))
        self.assertTrue(order.fs_priority_appointment)
        self.assertEqual(order.priority, "3")
        self.assertFalse(order.fs_arrival_date)
        self.assertEqual(order.fs_appointment_start, sh(2026, 3, 2, 16, 0))
        self.assertEqual(len(order.fs_change_ids), 2)
        self.assertEqual(restore.state, "paused")

        # second visit: restored, observed, checked, completed
        with freeze_time(sh(2026, 3, 2, 15, 53)):
            mine.action_fs_check_in()
        self.assertEqual(order.fs_check_in_verdict, "on_time")
        with freeze_time(sh(2026, 3, 2, 16, 20)):
            mine.write(
                {
                    "fs_fault_found": "Optical modem LOS red",
                    "fs_cause_category": "our_equipment",
                    "fs_corrective_measures": "Replaced the optical modem",
                    "fs_work_result": "restored",
                    "fs_replaced_equipment_ids": [
                        (
                            0,
                            0,
                            {
                                "device_type": "ONU",
                                "device_model": "HG8245",
                                "serial_number": "SN-0001",
                                "supplier": "Huawei",
                                "failure_cause": "Optical module",
                            },
                        )
                    ],
                }
            )
        self.assertEqual(ticket.restored_date, sh(2026, 3, 2, 16, 20))
        self.assertEqual(restore.state, "met")
        self.assertEqual(order.fs_observation_end, sh(2026, 3, 2, 16, 25))
        self.assertEqual(
            order.fs_replaced_equipment_ids.service_line_id, self.home_line
        )
        with freeze_time(sh(2026, 3, 2, 16, 22)):
            self.assertEqual(mine.fs_observation_remaining, 3)
            mine.write(
                {
                    "fs_check_tested": True,
                    "fs_check_fixed": True,
                    "fs_check_explained": True,
                }
            )
            with self.assertRefused(
                UserError, r"under observation .*16:25 \(3 min left\)"
            ):
                mine.action_complete()
        self.assertFalse(order.is_closed)
        with freeze_time(sh(2026, 3, 2, 16, 26)):
            mine.action_complete()
        self.assertEqual(
            order.stage_id, self.env.ref("fieldservice.fsm_stage_completed")
        )


class TestFieldworkRules(FieldworkCase):
    def test_window_ending_before_start_is_refused(self):
        order = self._order(
            self._home_ticket(sh(2026, 3, 2, 9, 0)), sh(2026, 3, 2, 9, 5)
        )
        with self.assertRefused(ValidationError, "ends .* before it starts"):
            order.write(
                {
                    "fs_appointment_start": sh(2026, 3, 2, 11, 0),
                    "fs_appointment_end": sh(2026, 3, 2, 10, 0),
                }
            )
        self.assertFalse(order.fs_appointment_start)
        with self.assertRefused(ValidationError, "ends before it starts"):
            self.env["fs.appointment.change"].create(
                {
                    "order_id": order.id,
                    "reason": "x",
                    "new_start": sh(2026, 3, 2, 11, 0),
                    "new_end": sh(2026, 3, 2, 10, 0),
                }
            )
        self.assertFalse(order.fs_change_ids)

    def test_check_in_before_dispatch_or_in_future_is_refused(self):
        order = self._order(
            self._home_ticket(sh(2026, 3, 2, 9, 0)), sh(2026, 3, 2, 9, 5)
        )
        with freeze_time(sh(2026, 3, 2, 10, 0)):
            with self.assertRefused(ValidationError, "before the order was dispatched"):
                order.write({"fs_arrival_date": sh(2026, 3, 2, 9, 0)})
            with self.assertRefused(ValidationError, "cannot be in the future"):
                order.write({"fs_arrival_date": sh(2026, 3, 2, 11, 0)})
        self.assertFalse(order.fs_arrival_date)

    def test_late_without_notice_is_flagged(self):
        order = self._order(
            self._home_ticket(sh(2026, 3, 2, 9, 0)),
            sh(2026, 3, 2, 9, 5),
            fs_appointment_start=sh(2026, 3, 2, 10, 0),
        )
        with freeze_time(sh(2026, 3, 2, 10, 5)):
            order.action_fs_check_in()
        self.assertEqual(order.fs_check_in_verdict, "late_unannounced")
        order.fs_late_announced = True
        self.assertEqual(order.fs_check_in_verdict, "late")

    def test_company_change_on_short_notice_counts_against_team(self):
        ticket = self._home_ticket(sh(2026, 3, 2, 9, 0))
        order = self._order(
            ticket, sh(2026, 3, 2, 9, 5), fs_appointment_start=sh(2026, 3, 2, 10, 0)
        )
        with freeze_time(sh(2026, 3, 2, 9, 10)):
            change = self.env["fs.appointment.change"].create(
                {
                    "order_id": order.id,
                    "caused_by": "company",
                    "reason": "Crew held on a bigger fault",
                    "new_start": sh(2026, 3, 2, 15, 0),
                }
            )
        self.assertTrue(change.short_notice)
        self.assertEqual(order.fs_short_notice_count, 1)
        # the company's own delay does not stop the customer's clock
        self.assertFalse(ticket.sla_pause_ids)
        with freeze_time(sh(2026, 3, 2, 9, 20)):
            later = self.env["fs.appointment.change"].create(
                {
                    "order_id": order.id,
                    "caused_by": "company",
                    "reason": "Spare part",
                    "new_start": sh(2026, 3, 3, 9, 0),
                }
            )
        self.assertFalse(later.short_notice)

    def test_repeated_fault_observes_longer(self):
        self._home_ticket(sh(2026, 2, 20, 9, 0))
        ticket = self._home_ticket(sh(2026, 3, 2, 9, 0))
        order = self._order(ticket, sh(2026, 3, 2, 9, 5))
        with freeze_time(sh(2026, 3, 2, 10, 0)):
            order.fs_work_result = "restored"
        self.assertTrue(order.fs_repeated_fault)
        self.assertEqual(order.fs_observation_end, sh(2026, 3, 2, 10, 30))
        with self.assertRefused(UserError, "stays Restored"):
            order.fs_work_result = "not_repaired"

    def test_completion_needs_the_three_checks(self):
        order = self._order(
            self._home_ticket(sh(2026, 3, 2, 9, 0)), sh(2026, 3, 2, 9, 5)
        )
        order.fs_arrival_date = sh(2026, 3, 2, 9, 40)
        order.fs_check_tested = True
        with self.assertRefused(UserError, "tick the three checks"):
            order.action_complete()
        self.assertFalse(order.is_closed)

    def test_order_closed_without_a_visit_asks_no_checks(self):
        """The checks are about leaving a site: an order closed from the office
        (no check-in, no work log), as fieldservice's own flows do, completes."""
        order = self._order(
            self._home_ticket(sh(2026, 3, 2, 9, 0)), sh(2026, 3, 2, 9, 5)
        )
        order.action_complete()
        self.assertTrue(order.is_closed)

    def test_other_cause_needs_text(self):
        order = self._order(
            self._home_ticket(sh(2026, 3, 2, 9, 0)), sh(2026, 3, 2, 9, 5)
        )
        with self.assertRefused(ValidationError, "describe the other cause"):
            order.fs_cause_category = "other"

    def test_crew_rule_and_account_manager_for_important_customer(self):
        self.customer.account_manager_id = self.account_manager
        self.assertTrue(self.customer.is_important_customer)
        location = self.env["fsm.location"].create(
            {"name": "Water Group HQ", "owner_id": self.customer.id}
        )
        ticket = self._ticket(sh(2026, 3, 2, 9, 0))
        with freeze_time(sh(2026, 3, 2, 9, 5)):
            order = self.env["fsm.order"].create(
                {
                    "ticket_id": ticket.id,
                    "location_id": location.id,
                    "person_id": self.worker.id,
                }
            )
        self.assertEqual(order.fs_segment, "enterprise")
        self.assertIn("crew of 2 (now 1)", order.fs_crew_warning)
        order.person_ids = self.other_worker
        self.assertFalse(order.fs_crew_warning)
        self.assertIn(self.account_manager.partner_id, order.message_partner_ids)
        self.assertEqual(order.activity_ids.user_id, self.account_manager)
        order.fs_wide_impact = True
        self.assertEqual(len(order.activity_ids), 1)  # told once


class TestFieldOrderAccess(FieldworkCase):
    def test_technician_sees_and_edits_only_assigned_orders(self):
        ticket = self._home_ticket(sh(2026, 3, 2, 9, 0))
        mine = self._order(ticket, sh(2026, 3, 2, 9, 5))
        crew = self._order(ticket, sh(2026, 3, 2, 9, 5), person=self.other_worker)
        crew.person_ids = self.worker
        theirs = self._order(ticket, sh(2026, 3, 2, 9, 5), person=self.other_worker)
        Order = self.env["fsm.order"]
        seen = Order.with_user(self.technician).search([("ticket_id", "=", ticket.id)])
        self.assertEqual(seen, mine | crew)
        with self.assertRaises(AccessError):
            theirs.with_user(self.technician).write({"fs_fault_found": "x"})
        mine.with_user(self.technician).write({"fs_fault_found": "Fibre cut"})
        # the dispatcher sees the orders of the teams they dispatch for
        mine.team_id.dispatcher_ids |= self.dispatcher
        for user in (self.dispatcher, self.account_manager):
            self.assertEqual(
                Order.with_user(user).search([("ticket_id", "=", ticket.id)]),
                mine | crew | theirs,
            )


class TestFieldworkInChinese(FieldworkCase):
    def test_order_form_and_messages_read_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["field_service_sla"], ["zh_CN"]
        )
        zh = self.env(context=dict(self.env.context, lang="zh_CN"))
        labels = zh["fsm.order"].fields_get(["fs_work_result", "fs_contact_state"])
        self.assertEqual(labels["fs_work_result"]["string"], "处理结果")
        self.assertIn(("restored", "已恢复"), labels["fs_work_result"]["selection"])
        # labels the addon already had elsewhere are translated here too
        self.assertEqual(labels["fs_contact_state"]["string"], "首次联系")
        self.assertIn(("met", "达标"), labels["fs_contact_state"]["selection"])
        order = self._order(
            self._home_ticket(sh(2026, 3, 2, 9, 0)), sh(2026, 3, 2, 9, 5)
        ).with_env(zh)
        order.fs_arrival_date = sh(2026, 3, 2, 9, 40)
        with self.assertRefused(UserError, "三不走"):
            order.action_complete()
