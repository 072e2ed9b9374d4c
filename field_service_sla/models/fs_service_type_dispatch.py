from odoo import fields, models


class FsServiceType(models.Model):
    """What a service's faults need: field work (an order dispatched to the
    covering crew) and which skill."""

    _name = "fs.service.type"
    _inherit = ["fs.service.type", "fs.dispatch.guard.mixin"]
    _fs_admin_fields = ("fs_field_work", "fs_skill_id")

    fs_field_work = fields.Boolean(
        string="Needs field work",
        default=True,
        help="A fault of this service gets a field order, dispatched "
        "automatically to the crew covering the line's area. Clear it for "
        "services repaired remotely (from the network management system).",
    )
    fs_skill_id = fields.Many2one(
        "fs.skill",
        string="Skill needed",
        help="Only workers with this skill are dispatched to this service's "
        "faults. Leave empty: any worker of the covering crew.",
    )
