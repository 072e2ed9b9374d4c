from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from .roles_common import RoleRpcCase


@tagged("post_install", "-at_install")
class TestPlannedWorkAccess(RoleRpcCase):
    """Planned work over JSON-RPC, as each role's client sends it: who plans,
    who only reads, and what nobody writes by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        start = fields.Datetime.now().replace(microsecond=0) + timedelta(days=10)
        cls.values = {
            "name": "Core router upgrade",
            "reason": "New software",
            "date_start": fields.Datetime.to_string(start),
            "date_end": fields.Datetime.to_string(start + timedelta(hours=4)),
            "line_ids": [Command.create({"service_line_id": cls.line_aaa.id})],
        }

    def test_dispatcher_plans_and_notifies(self):
        work_id = self.call("rpc_dispatcher", "fs.planned.work", "create", self.values)
        self.call("rpc_dispatcher", "fs.planned.work", "action_notify", [work_id])
        work = self.env["fs.planned.work"].browse(work_id)
        self.assertEqual(work.state, "notified")
        notice = work.notice_ids
        # the answer to an objection is the dispatcher's; what the customer
        # answered is not
        self.call(
            "rpc_dispatcher",
            "fs.planned.work.notice",
            "write",
            notice.ids,
            {"answer": "We finish by 04:30"},
        )
        self.assertRpcRefused(
            "rpc_dispatcher",
            "fs.planned.work.notice",
            "write",
            notice.ids,
            {"response": "acknowledged"},
        )
        self.assertRpcRefused(
            "rpc_dispatcher", "fs.planned.work", "write", [work_id], {"state": "done"}
        )
        # the buttons' own context key does not open the state to a client
        self.assertRpcRefused(
            "rpc_dispatcher",
            "fs.planned.work",
            "write",
            [work_id],
            {"state": "done"},
            context={"fs_state_transition": True},
        )
        self.assertRpcRefused(
            "rpc_dispatcher",
            "fs.planned.work",
            "write",
            [work_id],
            {"override_reason": "mine"},
        )
        self.assertEqual(work.state, "notified")

    def test_technician_and_account_manager_read_only(self):
        for role in ("technician", "account_manager"):
            login = self.login(role)
            self.assertRpcRefused(login, "fs.planned.work", "create", self.values)
        work_id = self.call("rpc_dispatcher", "fs.planned.work", "create", self.values)
        read = self.call(
            "rpc_technician", "fs.planned.work", "read", [work_id], ["name", "state"]
        )
        self.assertEqual(read[0]["state"], "draft")
        self.assertRpcRefused(
            "rpc_technician", "fs.planned.work", "action_notify", [work_id]
        )
        self.assertRpcRefused("rpc_technician", "fs.planned.work", "unlink", [work_id])

    def test_portal_user_reads_no_planned_work_by_rpc(self):
        work_id = self.call("rpc_dispatcher", "fs.planned.work", "create", self.values)
        self.call("rpc_dispatcher", "fs.planned.work", "action_notify", [work_id])
        self.assertRpcRefused(
            "rpc_portal", "fs.planned.work", "read", [work_id], ["name"]
        )
