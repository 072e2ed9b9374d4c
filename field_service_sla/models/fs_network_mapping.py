from odoo import api, fields, models

from ..sla_core.alarms import normalize_object


class FsNetworkMapping(models.Model):
    """A service line behind a network element: where an alarm that names an
    element and port (not a circuit) finds its lines. Imported from CSV."""

    _name = "fs.network.mapping"
    _inherit = ["fs.import.row.errors"]
    _description = "Line behind a network element"
    _order = "element_id, port, id"
    _check_company_auto = True
    _rec_name = "service_line_id"

    element_id = fields.Many2one(
        "fs.network.element",
        string="Network element",
        required=True,
        index=True,
        check_company=True,
        ondelete="cascade",
    )
    port = fields.Char(help="Empty: the line is behind the element as a whole.")
    service_line_id = fields.Many2one(
        "fs.service.line",
        string="Service line",
        required=True,
        index=True,
        check_company=True,
        ondelete="cascade",
    )
    upstream_id = fields.Many2one(
        related="element_id.upstream_id", string="Upstream element"
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company
    )

    _element_port_line_uniq = models.UniqueIndex(
        "(element_id, COALESCE(port, ''), service_line_id)",
        "This line is already mapped to this element and port.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("port"):
                vals["port"] = normalize_object(vals["port"])
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("port"):
            vals = {**vals, "port": normalize_object(vals["port"])}
        return super().write(vals)
