from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user

from .common import SlaCase
from .rpc import RpcCase

# The roles of security/roles.csv, as test users get them. The plain helpdesk
# user is helpdesk_mgmt's User (every ticket): the strongest helpdesk role
# without a field-service one.
ROLE_GROUPS = {
    "helpdesk_user": "helpdesk_mgmt.group_helpdesk_user",
    "technician": "field_service_sla.group_fs_technician",
    "dispatcher": "field_service_sla.group_fs_dispatcher",
    "account_manager": "field_service_sla.group_fs_account_manager",
    "sla_admin": "field_service_sla.group_fs_sla_admin",
    "portal": "base.group_portal",
}


class RoleRpcCase(RpcCase, SlaCase):
    """SlaCase's company, team, lines and policies, one user per role (login
    ``rpc_<role>``, member of the team) and a ticket factory."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact = cls.env["res.partner"].create(
            {"name": "Zhang Wei", "parent_id": cls.customer.id}
        )
        cls.users = {}
        for role, group in ROLE_GROUPS.items():
            extra = {"partner_id": cls.contact.id} if role == "portal" else {}
            cls.users[role] = new_test_user(
                cls.env, login=f"rpc_{role}", groups=group, tz="Asia/Shanghai", **extra
            )
        internal = cls.env["res.users"].union(
            *(u for r, u in cls.users.items() if r != "portal")
        )
        cls.team.user_ids = internal
        cls.assignee = new_test_user(
            cls.env,
            login="rpc_assignee",
            groups="field_service_sla.group_fs_technician",
        )

    def login(self, role):
        return f"rpc_{role}"

    def new_ticket(self, **values):
        now = fields.Datetime.now().replace(microsecond=0)
        return self.env["helpdesk.ticket"].create(
            {
                "name": "Line down",
                "description": "Alarm",
                "team_id": self.team.id,
                "service_line_id": self.line_aaa.id,
                "reported_date": now - timedelta(hours=1),
                "user_id": False,
                **values,
            }
        )
