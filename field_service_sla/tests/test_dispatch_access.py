"""Who configures and who dispatches, as the real role over JSON-RPC: SLA
administrators set areas, covering teams, contractors and skills; the
dispatch fields of an order are the service's; dispatchers (by group
membership) press Dispatch."""

from odoo.tests import new_test_user, tagged

from .dispatch_common import DispatchCase
from .rpc import RpcCase

ROLES = {
    "technician": "field_service_sla.group_fs_technician",
    "dispatcher": "field_service_sla.group_fs_dispatcher",
    "account_manager": "field_service_sla.group_fs_account_manager",
    "sla_admin": "field_service_sla.group_fs_sla_admin",
    # fieldservice's own manager writes teams, but is no SLA administrator
    "fsm_manager": "fieldservice.group_fsm_manager",
}


@tagged("post_install", "-at_install")
class TestDispatchAccess(RpcCase, DispatchCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for role, group in ROLES.items():
            new_test_user(cls.env, login=f"da_{role}", groups=group)

    def test_only_sla_admins_configure_the_dispatch(self):
        cells = [
            ("res.territory", self.area_uncovered, "fs_team_id", self.own.id),
            ("fsm.team", self.own, "fs_contractor", True),
            ("fsm.person", self.zhou, "fs_skill_ids", [(6, 0, [self.voice.id])]),
            ("fs.service.line", self.line_aa, "fs_area_id", self.area_own.id),
            ("res.partner", self.customer, "fs_area_id", self.area_own.id),
        ]
        for role in ROLES:
            for model, record, name, value in cells:
                with self.subTest(role=role, model=model, field=name):
                    args = ([record.id], {name: value})
                    if role == "sla_admin":
                        self.call(f"da_{role}", model, "write", *args)
                        continue
                    before = record[name]
                    self.assertRpcRefused(f"da_{role}", model, "write", *args)
                    record.invalidate_recordset()
                    self.assertEqual(record[name], before)
        self.assertEqual(self.area_uncovered.fs_team_id, self.own)
        self.assertTrue(self.own.fs_contractor)
        self.assertEqual(self.zhou.fs_skill_ids, self.voice)
        # nor on create: a territory made with its team by a plain user
        self.assertRpcRefused(
            "da_dispatcher",
            "res.territory",
            "create",
            [{"name": "Beibei", "fs_team_id": self.own.id}],
        )
        self.assertFalse(self.env["res.territory"].search([("name", "=", "Beibei")]))
        self.call("da_dispatcher", "res.territory", "create", [{"name": "Beibei"}])

    def test_dispatch_fields_are_the_services(self):
        ticket = self.fault(self.line_aa)
        self.dispatch()
        order = ticket.fsm_order_ids
        for role in ROLES:
            for name, value in (
                ("fs_dispatch_mode", "auto"),
                ("fs_dispatch_reason", False),
                ("fs_area_id", self.area_own.id),
            ):
                with self.subTest(role=role, field=name):
                    self.assertRpcRefused(
                        f"da_{role}", "fsm.order", "write", [order.id], {name: value}
                    )
        self.assertEqual(order.fs_dispatch_mode, "queue")
        self.assertRpcRefused(
            "da_dispatcher",
            "helpdesk.ticket",
            "write",
            [ticket.id],
            {"fs_dispatch_pending": True},
        )

    def test_dispatchers_press_dispatch(self):
        first, second = self.fault(self.line_aa), self.fault(self.line_aa)
        self.dispatch()
        self.area_uncovered.fs_team_id = self.own
        self.assertRpcRefused(
            "da_technician", "fsm.order", "action_fs_dispatch", first.fsm_order_ids.ids
        )
        self.assertEqual(first.fsm_order_ids.fs_dispatch_mode, "queue")
        self.call(
            "da_dispatcher", "fsm.order", "action_fs_dispatch", second.fsm_order_ids.ids
        )
        order = second.fsm_order_ids
        self.assertEqual(order.fs_dispatch_mode, "manual")
        self.assertTrue(order.person_id)
        # the queue, as a dispatcher reads it
        queue = self.call(
            "da_dispatcher",
            "fsm.order",
            "search_read",
            [("fs_dispatch_mode", "=", "queue"), ("person_id", "=", False)],
            ["fs_dispatch_reason"],
        )
        self.assertIn(
            {"id": first.fsm_order_ids.id, "fs_dispatch_reason": "no_team"}, queue
        )
