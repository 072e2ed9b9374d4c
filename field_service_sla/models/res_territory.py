from odoo import fields, models


class ResTerritory(models.Model):
    """An area (包区) of base_territory names the crew that covers it: the
    operator's own (自维) or a contractor's (代维)."""

    _name = "res.territory"
    _inherit = ["res.territory", "fs.dispatch.guard.mixin"]
    _fs_admin_fields = ("fs_team_id",)

    fs_team_id = fields.Many2one(
        "fsm.team",
        string="Covering team",
        index="btree_not_null",
        help="The crew that the faults of this area are dispatched to. Leave "
        "empty when no crew covers it: its orders go to the dispatcher's queue.",
    )
    fs_contractor = fields.Boolean(
        related="fs_team_id.fs_contractor", string="Covered by a contractor"
    )
