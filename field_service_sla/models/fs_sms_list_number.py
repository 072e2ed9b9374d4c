from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..sla_core.escalation import normalize_mobile


class FsSmsListNumber(models.Model):
    _name = "fs.sms.list.number"
    _description = "SMS distribution list number"
    _order = "list_id, sequence, id"

    list_id = fields.Many2one(
        "fs.sms.list", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="list_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Who", help="e.g. NOC duty desk, city network dept.")
    number = fields.Char(required=True, help="A mobile number: 13800138000, +86 ...")
    normalized = fields.Char(
        string="Number (E.164)", compute="_compute_normalized", store=True
    )

    @api.depends("number")
    def _compute_normalized(self):
        for line in self:
            line.normalized = normalize_mobile(line.number) or False

    @api.constrains("number")
    def _check_number(self):
        bad = self.filtered(lambda line: not normalize_mobile(line.number))
        if bad:
            raise ValidationError(
                self.env._(
                    "These are not mobile numbers an SMS can reach: %(numbers)s. "
                    "Nothing was saved; the list's other numbers keep receiving "
                    "the bulletins.",
                    numbers=", ".join(
                        f"{line.number} ({line.name})" if line.name else line.number
                        for line in bad
                    ),
                )
            )
