from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    """Settings > Send SMS names the way the company's SMS leave: its own
    gateway in use, or Odoo's IAP."""

    _inherit = "res.config.settings"

    fs_sms_gateway_id = fields.Many2one(
        "fs.sms.gateway", string="SMS gateway", compute="_compute_fs_sms_gateway_id"
    )

    @api.depends("company_id")
    def _compute_fs_sms_gateway_id(self):
        for settings in self:
            settings.fs_sms_gateway_id = settings.company_id._fs_sms_gateway()

    def action_fs_sms_gateways(self):
        return self.env["ir.actions.act_window"]._for_xml_id(
            "field_service_sla.fs_sms_gateway_action"
        )
