from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..sla_core.alarms import normalize_object

ELEMENT_KINDS = [
    ("cable", "Cable"),
    ("switch", "Aggregation switch"),
    ("olt", "OLT"),
    ("olt_port", "OLT port"),
    ("site", "Site"),
    ("other", "Other"),
]


class FsNetworkElement(models.Model):
    """A piece of the network alarms name: lines leave the network at an
    element (and port), and an element may depend on an upstream one (a
    cable, an aggregation switch or OLT port, a site). Alarms on lines
    behind one upstream element correlate into one incident."""

    _name = "fs.network.element"
    _inherit = ["fs.import.row.errors"]
    _description = "Network element"
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(
        required=True,
        index=True,
        help="As the monitoring system names it; stored in upper case, blanks trimmed.",
    )
    kind = fields.Selection(ELEMENT_KINDS, default="other", required=True)
    upstream_id = fields.Many2one(
        "fs.network.element",
        string="Upstream element",
        check_company=True,
        index="btree_not_null",
        ondelete="restrict",
        help="The element this one depends on: a cut there takes down every "
        "line behind this one.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company
    )
    mapping_ids = fields.One2many(
        "fs.network.mapping", "element_id", string="Lines behind it"
    )
    active = fields.Boolean(default=True)

    _name_company_uniq = models.Constraint(
        "unique(company_id, name)", "A network element's name is unique per company."
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "name" in vals:
                vals["name"] = normalize_object(vals["name"]) or vals["name"]
        return super().create(vals_list)

    def write(self, vals):
        if "name" in vals:
            vals = {**vals, "name": normalize_object(vals["name"]) or vals["name"]}
        return super().write(vals)

    @api.constrains("upstream_id")
    def _check_upstream(self):
        if self._has_cycle("upstream_id"):
            raise ValidationError(
                self.env._("A network element cannot depend on itself.")
            )
