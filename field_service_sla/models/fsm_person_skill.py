from odoo import fields, models


class FsmPerson(models.Model):
    """A worker's skills: the dispatch gives an order only to a worker of
    the covering team who has the skill its service needs."""

    _name = "fsm.person"
    _inherit = ["fsm.person", "fs.dispatch.guard.mixin"]
    _fs_admin_fields = ("fs_skill_ids",)

    fs_skill_ids = fields.Many2many(
        "fs.skill",
        "fsm_person_fs_skill_rel",
        "person_id",
        "skill_id",
        string="Skills",
        help="What the worker is qualified for: automatic dispatch gives a "
        "worker only the faults of services needing one of these skills, or "
        "none.",
    )
