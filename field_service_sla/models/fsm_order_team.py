from odoo import models
from odoo.fields import Domain


class FsmOrder(models.Model):
    _inherit = "fsm.order"

    def _default_team_id(self):
        """A new order on a location without a team lands on the first team
        the user dispatches for, else on the first team listing nobody, and
        only then on fieldservice's first team: the dispatcher record rule
        (fsm_order_dispatcher_team_rule) would refuse a dispatcher an order
        in another team's list. Other users keep fieldservice's default."""
        user = self.env.user
        if not user.has_group("field_service_sla.group_fs_dispatcher") or any(
            user.has_group(g)
            for g in (
                "field_service_sla.group_fs_account_manager",
                "fieldservice.group_fsm_manager",
            )
        ):
            return super()._default_team_id()
        Team = self.env["fsm.team"]
        company = Domain("company_id", "in", (self.env.company.id, False))
        for mine in (
            Domain("dispatcher_ids", "in", self.env.uid),
            Domain("dispatcher_ids", "=", False),
        ):
            team = Team.search(company & mine, order="sequence asc", limit=1)
            if team:
                return team
        return super()._default_team_id()
