from odoo.tests import Form, new_test_user, tagged

from .dispatch_common import DispatchCase


@tagged("post_install", "-at_install")
class TestDispatch(DispatchCase):
    """A new fault ticket needing field work gets its field order from the
    dispatch job: the covering crew of its area, the skilled worker with the
    fewest open orders; otherwise the dispatcher's queue with the reason."""

    def test_ticket_creation_marks_and_triggers_without_making_orders(self):
        cron = self.env.ref("field_service_sla.ir_cron_fs_dispatch")
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        tickets = self.env["helpdesk.ticket"].create(
            [
                {
                    "name": f"Down {n}",
                    "description": "Alarm",
                    "team_id": self.team.id,
                    "service_line_id": self.line_aaa.id,
                }
                for n in range(3)
            ]
        )
        self.assertTrue(all(tickets.mapped("fs_dispatch_pending")))
        self.assertFalse(tickets.fsm_order_ids)
        # one trigger for the batch
        self.assertEqual(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]),
            triggers + 1,
        )
        self.dispatch()
        self.assertEqual(len(tickets.fsm_order_ids), 3)
        self.assertFalse(any(tickets.mapped("fs_dispatch_pending")))
        # spread over the own crew's fibre workers
        self.assertEqual(
            sorted(tickets.fsm_order_ids.person_id.mapped("name")),
            ["Li", "Zhou"],
        )

    def test_order_goes_to_covering_crew_with_dispatch_rules(self):
        ticket = self.fault()
        self.dispatch()
        order = ticket.fsm_order_ids
        self.assertEqual(len(order), 1)
        self.assertEqual(order.team_id, self.own)
        self.assertIn(order.person_id, self.li | self.zhou)
        self.assertEqual(order.fs_dispatch_mode, "auto")
        self.assertEqual(order.fs_area_id, self.area_own)
        self.assertEqual(order.location_id, self.site_own)
        self.assertEqual(order.fs_auto_dispatch_rate, 100.0)
        # the field-work rules run from the dispatch: the contact clock
        self.assertTrue(order.fs_dispatch_date)
        self.assertTrue(order.fs_contact_deadline)
        self.assertIn("Dispatched by the rules", order.message_ids[:1].body)

    def test_lowest_load_and_skill(self):
        # Zhou has two open orders, Li none: Li first
        for _ in range(2):
            self.env["fsm.order"].create(
                {"location_id": self.site_own.id, "person_id": self.zhou.id}
            )
        first, second, third = (self.fault() for _ in range(3))
        self.dispatch()
        self.assertEqual(first.fsm_order_ids.person_id, self.li)
        self.assertEqual(second.fsm_order_ids.person_id, self.li)
        # now 2 each: the lowest id
        self.assertEqual(third.fsm_order_ids.person_id, min(self.li, self.zhou))
        # a voice service: only Li has the skill
        self.internet.fs_skill_id = self.voice
        fourth = self.fault()
        self.dispatch()
        self.assertEqual(fourth.fsm_order_ids.person_id, self.li)

    def test_line_area_before_customer_area(self):
        self.customer.fs_area_id = self.area_contractor
        self.assertEqual(self.line_aaa.fs_area_id, self.area_own)  # its site's
        self.line_aaa.fs_area_id = self.area_contractor  # set apart
        self.internet.fs_skill_id = self.voice
        ticket = self.fault()
        self.dispatch()
        order = ticket.fsm_order_ids
        self.assertEqual(order.team_id, self.contractor)
        self.assertTrue(order.team_id.fs_contractor)
        self.assertEqual(order.person_id, self.sun)

    def test_queue_with_reasons(self):
        # no crew covers the area
        uncovered = self.fault(self.line_aa)
        # the crew has nobody with the skill
        self.line_aaa.fs_area_id = self.area_contractor
        unskilled = self.fault()
        self.dispatch()
        for ticket, reason in ((uncovered, "no_team"), (unskilled, "no_skill")):
            order = ticket.fsm_order_ids
            self.assertEqual(len(order), 1)
            self.assertEqual(order.fs_dispatch_mode, "queue")
            self.assertEqual(order.fs_dispatch_reason, reason)
            self.assertFalse(order.person_id)
            self.assertEqual(order.fs_auto_dispatch_rate, 0.0)
        queue = self.env["fsm.order"].search(
            [("fs_dispatch_mode", "=", "queue"), ("person_id", "=", False)]
        )
        self.assertIn(uncovered.fsm_order_ids, queue)
        # no area anywhere
        self.line_aaa.location_id.territory_id = False
        self.line_aaa.fs_area_id = False
        nowhere = self.fault()
        # a crew without active workers
        self.line_aa.fs_area_id = self.area_contractor
        self.sun.active = False
        empty = self.fault(self.line_aa)
        self.dispatch()
        self.assertEqual(nowhere.fsm_order_ids.fs_dispatch_reason, "no_area")
        self.assertEqual(empty.fsm_order_ids.fs_dispatch_reason, "no_worker")

    def test_no_site_no_order_and_the_reason_on_the_ticket(self):
        self.line_aaa.location_id = False
        ticket = self.fault()
        self.dispatch()
        self.assertFalse(ticket.fsm_order_ids)
        self.assertEqual(ticket.fs_dispatch_reason, "no_location")
        self.assertFalse(ticket.fs_dispatch_pending)
        # the dispatcher makes the order by hand: the warning goes
        self.env["fsm.order"].create(
            {
                "ticket_id": ticket.id,
                "location_id": self.site_own.id,
                "person_id": self.li.id,
            }
        )
        self.assertFalse(ticket.fs_dispatch_reason)

    def test_what_needs_no_dispatch(self):
        # a service repaired remotely
        self.internet.fs_field_work = False
        remote = self.fault()
        self.assertFalse(remote.fs_dispatch_pending)
        self.internet.fs_field_work = True
        # not a fault (excluded from assessment)
        maintenance = self.env["helpdesk.ticket.category"].create(
            {"name": "Planned work", "fs_maintenance": True}
        )
        planned = self.fault(category_id=maintenance.id)
        self.assertFalse(planned.fs_dispatch_pending)
        # closed, or given an order by hand before the job ran
        closed = self.fault()
        closed.stage_id = self.stage_done
        by_hand = self.fault()
        self.env["fsm.order"].create(
            {
                "ticket_id": by_hand.id,
                "location_id": self.site_own.id,
                "person_id": self.zhou.id,
            }
        )
        self.dispatch()
        self.assertFalse(remote.fsm_order_ids | planned.fsm_order_ids)
        self.assertFalse(closed.fsm_order_ids)
        self.assertEqual(len(by_hand.fsm_order_ids), 1)
        self.assertEqual(by_hand.fsm_order_ids.fs_dispatch_mode, "manual")
        self.assertEqual(by_hand.fsm_order_ids.fs_area_id, self.area_own)

    def test_order_made_by_hand_without_worker_is_dispatched(self):
        ticket = self.fault()
        ticket.fs_dispatch_pending = False  # as if dispatched already
        order = self.env["fsm.order"].create(
            {"ticket_id": ticket.id, "location_id": self.site_own.id}
        )
        self.assertTrue(order.fs_dispatch_pending)
        self.dispatch()
        self.assertEqual(order.fs_dispatch_mode, "auto")
        self.assertEqual(order.team_id, self.own)
        self.assertIn(order.person_id, self.li | self.zhou)
        self.assertFalse(order.fs_dispatch_pending)
        # an order without a ticket (an inspection) is left alone
        other = self.env["fsm.order"].create({"location_id": self.site_own.id})
        self.assertFalse(other.fs_dispatch_pending or other.fs_dispatch_mode)

    def test_dispatcher_assigns_or_dispatches_a_queued_order(self):
        dispatcher = new_test_user(
            self.env, login="t_dispatcher", groups="field_service_sla.group_fs_dispatcher"
        )
        first, second = self.fault(self.line_aa), self.fault(self.line_aa)
        self.dispatch()
        queued = first.fsm_order_ids
        self.assertEqual(queued.fs_dispatch_reason, "no_team")
        # by hand, in the order's form
        with Form(queued.with_user(dispatcher)) as form:
            form.person_id = self.zhou
        self.assertEqual(queued.fs_dispatch_mode, "manual")
        self.assertFalse(queued.fs_dispatch_reason)
        self.assertEqual(queued.fs_area_id, self.area_uncovered)
        # the area gets a crew; the dispatcher presses Dispatch
        self.area_uncovered.fs_team_id = self.own
        other = second.fsm_order_ids
        other.with_user(dispatcher).action_fs_dispatch()
        self.assertEqual(other.fs_dispatch_mode, "manual")
        self.assertEqual(other.team_id, self.own)
        self.assertEqual(other.person_id, self.li)  # Zhou has one now
        self.assertFalse(other.fs_dispatch_reason)
        # an inspection is planned, not dispatched: the button leaves it
        inspection = self.env["fsm.order"].create(
            {"location_id": self.site_own.id, "team_id": self.own.id}
        )
        inspection.with_user(dispatcher).action_fs_dispatch()
        self.assertFalse(inspection.fs_dispatch_mode or inspection.person_id)

    def test_queries_do_not_grow_with_the_orders(self):
        def run(count):
            self.env["helpdesk.ticket"].create(
                [
                    {
                        "name": f"Down {n}",
                        "description": "Alarm",
                        "team_id": self.team.id,
                        "service_line_id": (self.line_aaa, self.line_aa)[n % 2].id,
                    }
                    for n in range(count)
                ]
            )
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.dispatch()
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        small, large = run(5), run(50)
        self.assertLessEqual(large, small + 5, (small, large))
