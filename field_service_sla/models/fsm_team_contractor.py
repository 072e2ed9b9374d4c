from odoo import fields, models


class FsmTeam(models.Model):
    """Own crews (自维) and contractors (代维) are both teams; a contractor's
    team names the contractor, whom the contractor assessment scores."""

    _name = "fsm.team"
    _inherit = ["fsm.team", "fs.dispatch.guard.mixin"]
    _fs_admin_fields = ("fs_contractor", "fs_contractor_partner_id")

    fs_contractor = fields.Boolean(
        string="Contractor crew",
        help="The crew of a contracted maintainer (代维), not the operator's own "
        "(自维).",
    )
    fs_contractor_partner_id = fields.Many2one(
        "res.partner",
        string="Contractor",
        domain=[("is_company", "=", True)],
        help="The company the contractor crew belongs to.",
    )
    fs_territory_ids = fields.One2many(
        "res.territory", "fs_team_id", string="Areas covered"
    )
