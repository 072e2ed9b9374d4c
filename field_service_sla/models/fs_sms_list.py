from odoo import api, fields, models


class FsSmsList(models.Model):
    """A distribution list of the severe-fault bulletins (enterprise-customer
    department, network department, NOC, network-service centre, the
    affected city): the numbers an escalation step texts."""

    _name = "fs.sms.list"
    _description = "SMS distribution list"
    _order = "name, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company
    )
    number_ids = fields.One2many(
        "fs.sms.list.number", "list_id", string="Numbers", copy=True
    )
    number_count = fields.Integer(compute="_compute_number_count")
    failing_number_count = fields.Integer(
        string="Failing numbers",
        compute="_compute_failing_number_count",
        help="Numbers the last bulletin did not reach.",
    )

    @api.depends("number_ids")
    def _compute_number_count(self):
        for sms_list in self:
            sms_list.number_count = len(sms_list.number_ids)

    def _compute_failing_number_count(self):
        ids = [list_id for list_id in self.ids if list_id]
        failing = self.env["fs.sms.list.number"]._failing_per_list(ids) if ids else {}
        for sms_list in self:
            sms_list.failing_number_count = failing.get(sms_list.id, 0)

    def _numbers(self):
        """The list's numbers in E.164, each once."""
        self.ensure_one()
        return list(dict.fromkeys(self.number_ids.mapped("normalized")))
