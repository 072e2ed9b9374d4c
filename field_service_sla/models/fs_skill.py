from odoo import fields, models


class FsSkill(models.Model):
    """A skill a field worker has and a service needs (fibre splicing,
    transmission equipment, voice switching...). Deliberately small: OCA
    fieldservice_skill was evaluated and not used (README, "Automatic
    dispatch")."""

    _name = "fs.skill"
    _description = "Field skill"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _code_uniq = models.Constraint("UNIQUE(code)", "A skill code must be unique.")
