from odoo import fields, models


class FsmTeam(models.Model):
    """OCA's team knows its orders but not who dispatches them. The people
    listed here are the dispatchers who see the team's orders (record rule
    fsm_order_dispatcher_team_rule); a team with nobody listed stays visible
    to every dispatcher, so a database nobody configured keeps working."""

    _inherit = "fsm.team"

    dispatcher_ids = fields.Many2many(
        "res.users",
        "fsm_team_dispatcher_rel",
        "team_id",
        "user_id",
        string="Dispatchers",
        domain=[("share", "=", False)],
        help="Dispatchers who see and edit this team's field orders and their "
        "inspections. Leave empty to let every dispatcher see them.",
    )
