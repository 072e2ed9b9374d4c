from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    fs_operation_report_remarks_required = fields.Boolean(
        string="Operation report remarks required",
        help="A customer network operation report is released only with the "
        "account manager's remarks.",
    )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    fs_operation_report_remarks_required = fields.Boolean(
        related="company_id.fs_operation_report_remarks_required", readonly=False
    )
