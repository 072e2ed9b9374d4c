"""The order's dialogs as the web client saves them: "Change appointment" and
"Customer absent" opened with the context of the order's buttons, through
odoo.tests.Form (which, like the client, does not send a readonly field
without force_save), as the technician and as the dispatcher."""

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form

from .common import sh
from .test_fieldwork import FieldworkCase


class TestOrderDialogs(FieldworkCase):
    def _context(self, order, user, button, model):
        """The context the order's button opens its dialog with, as ``user``."""
        action = getattr(order.with_user(user), button)()
        self.assertEqual((action["res_model"], action["target"]), (model, "new"))
        return action["context"]

    def _reschedule_form(self, order, user):
        context = self._context(
            order, user, "action_fs_reschedule", "fs.appointment.change"
        )
        return Form(
            self.env["fs.appointment.change"].with_user(user).with_context(**context)
        )

    def _absent_form(self, order, user):
        context = self._context(
            order, user, "action_fs_customer_absent", "fs.visit.note"
        )
        return Form(self.env["fs.visit.note"].with_user(user).with_context(**context))

    def _absent_form_filled(self, order):
        """The technician's "Customer absent" dialog, filled in: whom he
        called and the next appointment he agreed."""
        form = self._absent_form(order, self.technician)
        form.phone = "13800000000"
        form.contact_name = "Li Wei"
        form.next_start = sh(2026, 3, 2, 14, 0)
        return form

    def _appointed_order(self):
        ticket = self._home_ticket(sh(2026, 3, 2, 9, 0))
        order = self._order(ticket, sh(2026, 3, 2, 9, 10))
        # the dispatcher dispatches for the order's field team
        order.team_id.dispatcher_ids |= self.dispatcher
        order.write(
            {
                "fs_appointment_start": sh(2026, 3, 2, 10, 0),
                "fs_appointment_end": sh(2026, 3, 2, 11, 0),
            }
        )
        return order

    def test_change_appointment_dialog_saves(self):
        for user in (self.technician, self.dispatcher):
            with self.subTest(user=user.login):
                order = self._appointed_order()
                with freeze_time(sh(2026, 3, 2, 9, 30)):
                    form = self._reschedule_form(order, user)
                    self.assertEqual(form.order_id, order)
                    self.assertEqual(form.new_start, sh(2026, 3, 2, 10, 0))
                    form.caused_by = "company"
                    form.reason = "Crew held up on a severe fault"
                    form.new_start = sh(2026, 3, 2, 15, 0)
                    form.new_end = sh(2026, 3, 2, 16, 0)
                    change = form.save()
                self.assertEqual(change.order_id, order)
                self.assertEqual(change.user_id, user)
                self.assertEqual(change.old_start, sh(2026, 3, 2, 10, 0))
                self.assertTrue(change.short_notice)
                self.assertEqual(order.fs_appointment_start, sh(2026, 3, 2, 15, 0))
                self.assertEqual(order.fs_short_notice_count, 1)

    def test_customer_absent_dialog_saves(self):
        for user in (self.technician, self.dispatcher):
            with self.subTest(user=user.login):
                order = self._appointed_order()
                with freeze_time(sh(2026, 3, 2, 9, 58)):
                    order.with_user(self.technician).action_fs_check_in()
                with freeze_time(sh(2026, 3, 2, 10, 16)):
                    form = self._absent_form(order, user)
                    self.assertEqual(form.order_id, order)
                    form.phone = "13800000000"
                    form.contact_name = "Li Wei"
                    form.note = "Nobody at home, neighbours say back at 14:00"
                    form.next_start = sh(2026, 3, 2, 14, 0)
                    form.next_end = sh(2026, 3, 2, 15, 0)
                    visit = form.save()
                self.assertEqual(visit.order_id, order)
                self.assertEqual(visit.user_id, user)
                self.assertEqual(visit.arrived_date, sh(2026, 3, 2, 9, 58))
                self.assertEqual(visit.left_date, sh(2026, 3, 2, 10, 16))
                self.assertTrue(order.fs_priority_appointment)
                self.assertFalse(order.fs_arrival_date)
                self.assertEqual(order.fs_appointment_start, sh(2026, 3, 2, 14, 0))

    def test_customer_absent_waits_for_the_appointment(self):
        """Issue 15, item 22: arrived 08:16 for an 08:51 appointment, the
        customer is not absent at 08:31, the wait runs until 09:06."""
        ticket = self._home_ticket(sh(2026, 3, 2, 7, 30))
        order = self._order(ticket, sh(2026, 3, 2, 7, 40))
        order.fs_appointment_start = sh(2026, 3, 2, 8, 51)
        with freeze_time(sh(2026, 3, 2, 8, 16)):
            order.with_user(self.technician).action_fs_check_in()
        self.assertEqual(order.fs_absent_allowed_from, sh(2026, 3, 2, 9, 6))
        for now in (sh(2026, 3, 2, 8, 31), sh(2026, 3, 2, 9, 5)):
            with freeze_time(now):
                form = self._absent_form_filled(order)
                with self.assertRefused(
                    UserError,
                    r"until 2026-03-02 09:06 .*arrived at 2026-03-02 08:16, before "
                    r"the appointment, .*15 min wait counts from the appointment "
                    r"start at 2026-03-02 08:51",
                ):
                    form.save()
        self.assertFalse(order.fs_visit_note_ids)
        self.assertTrue(order.fs_arrival_date)
        with freeze_time(sh(2026, 3, 2, 9, 6)):
            form = self._absent_form_filled(order)
            visit = form.save()
        self.assertEqual(visit.arrived_date, sh(2026, 3, 2, 8, 16))

    def test_customer_absent_after_a_late_arrival_counts_from_it(self):
        order = self._appointed_order()
        with freeze_time(sh(2026, 3, 2, 10, 20)):
            order.with_user(self.technician).action_fs_check_in()
        with freeze_time(sh(2026, 3, 2, 10, 30)):
            form = self._absent_form_filled(order)
            with self.assertRefused(
                UserError,
                r"until 2026-03-02 10:35 .*15 min wait counts from your arrival "
                r"at 2026-03-02 10:20",
            ):
                form.save()

    def test_dialog_without_an_order_is_refused_clearly(self):
        for model, values in (
            (
                "fs.appointment.change",
                {"reason": "x", "new_start": sh(2026, 3, 2, 15, 0)},
            ),
            (
                "fs.visit.note",
                {
                    "phone": "1",
                    "contact_name": "x",
                    "next_start": sh(2026, 3, 2, 15, 0),
                },
            ),
        ):
            with (
                self.subTest(model=model),
                self.assertRefused(UserError, "No field order was given"),
            ):
                self.env[model].with_user(self.technician).create(values)
