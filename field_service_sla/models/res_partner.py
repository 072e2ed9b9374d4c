from lxml import etree

from odoo import api, fields, models
from odoo.exceptions import AccessError

from .fs_customer_tier import SEGMENTS

# what an account manager may change on a customer without being a contact
# administrator (base.group_partner_manager)
SERVICE_LEVEL_FIELDS = {
    "customer_segment",
    "customer_tier_id",
    "account_manager_id",
    "network_manager_id",
    "service_line_ids",
    "green_channel",
    # the area: an SLA administrator's only (res_partner_area)
    "fs_area_id",
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    customer_segment = fields.Selection(SEGMENTS, string="Segment", tracking=True)
    customer_tier_id = fields.Many2one(
        "fs.customer.tier",
        string="Customer tier",
        tracking=True,
        index="btree_not_null",
    )
    account_manager_id = fields.Many2one(
        "res.users", string="Account manager", domain=[("share", "=", False)]
    )
    network_manager_id = fields.Many2one(
        "res.users", string="Network-service manager", domain=[("share", "=", False)]
    )
    service_line_ids = fields.One2many(
        "fs.service.line", "partner_id", string="Service lines"
    )
    green_channel = fields.Boolean(
        string="Green channel",
        tracking=True,
        help="A customer of the operators' green channel: its escalated faults "
        "carry the green-channel title tags.",
    )
    service_line_count = fields.Integer(compute="_compute_service_line_count")
    is_important_customer = fields.Boolean(
        string="Important customer",
        compute="_compute_is_important_customer",
        store=True,
        help="Province-level and diamond customers, and every customer with a "
        "cross-province or cross-city line.",
    )

    @api.depends(
        "customer_tier_id.is_important",
        "service_line_ids.cross_city",
        "service_line_ids.cross_province",
        "service_line_ids.active",
    )
    def _compute_is_important_customer(self):
        for partner in self:
            partner.is_important_customer = (
                partner.customer_tier_id.is_important
                or any(
                    line.cross_city or line.cross_province
                    for line in partner.service_line_ids
                )
            )

    def _compute_service_line_count(self):
        counts = dict(
            self.env["fs.service.line"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.service_line_count = counts.get(partner, 0)

    def write(self, vals):
        self._check_service_level_only(vals)
        return super().write(vals)

    def _service_level_editor_only(self):
        """Account managers hold write access to contacts for the
        service-level data only: the rest stays the contact administrators'."""
        user = self.env.user
        return (
            not self.env.su
            and user.has_group("field_service_sla.group_fs_account_manager")
            and not user.has_group("base.group_partner_manager")
        )

    def _check_service_level_only(self, vals):
        refused = sorted(set(vals) - SERVICE_LEVEL_FIELDS)
        if refused and self._service_level_editor_only():
            raise AccessError(
                self.env._(
                    "As an account manager you may change only the service-level "
                    "data of a customer (segment, tier, managers, service lines). "
                    "Ask a contact administrator to change: %(fields)s.",
                    fields=", ".join(
                        self._fields[f]._description_string(self.env)
                        if f in self._fields
                        else f
                        for f in refused
                    ),
                )
            )

    @api.model
    def get_view(self, view_id=None, view_type="form", **options):
        """For an account manager, every contact field of the form but the
        service-level ones is read-only: what they may not save, they cannot
        type either."""
        result = super().get_view(view_id, view_type, **options)
        if view_type == "form" and self._service_level_editor_only():
            arch = etree.fromstring(result["arch"])
            for node in arch.iter("field"):
                nested = any(a.tag == "field" for a in node.iterancestors())
                if not nested and node.get("name") not in SERVICE_LEVEL_FIELDS:
                    node.set("readonly", "1")
            result["arch"] = etree.tostring(arch, encoding="unicode")
        return result

    @api.onchange("customer_tier_id")
    def _onchange_customer_tier_id(self):
        if self.customer_tier_id:
            self.customer_segment = self.customer_tier_id.segment

    def action_view_service_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "field_service_sla.fs_service_line_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + [
            "customer_segment",
            "customer_tier_id",
            "account_manager_id",
            "network_manager_id",
            "green_channel",
        ]
