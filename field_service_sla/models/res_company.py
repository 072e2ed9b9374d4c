from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    fs_department_head_ids = fields.Many2many(
        "res.users",
        "res_company_fs_department_head_rel",
        "company_id",
        "user_id",
        string="Department leaders",
        domain=[("share", "=", False)],
        help="Told by the escalation steps for department leaders (AAA faults "
        "of gold customers, severe faults).",
    )
