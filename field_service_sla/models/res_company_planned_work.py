from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..sla_core.planned_work import (
    DEFAULT_MAX_WINDOW_HOURS,
    DEFAULT_NOTICE_DAYS,
    IMPORTANT_NOTICE_DAYS,
)


class ResCompany(models.Model):
    _inherit = "res.company"

    fs_planned_notice_days = fields.Integer(
        string="Cutover notice (days)",
        default=DEFAULT_NOTICE_DAYS,
        help="How many days before a planned work its customers are told.",
    )
    fs_planned_notice_days_important = fields.Integer(
        string="Cutover notice, important customers (days)",
        default=IMPORTANT_NOTICE_DAYS,
    )
    fs_planned_max_hours = fields.Integer(
        string="Longest planned-work window (hours)",
        default=DEFAULT_MAX_WINDOW_HOURS,
    )

    @api.constrains(
        "fs_planned_notice_days",
        "fs_planned_notice_days_important",
        "fs_planned_max_hours",
    )
    def _check_planned_work_settings(self):
        for company in self:
            if (
                company.fs_planned_notice_days < 0
                or company.fs_planned_notice_days_important < 0
            ):
                raise ValidationError(self.env._("Days of notice cannot be negative."))
            if company.fs_planned_max_hours < 1:
                raise ValidationError(
                    self.env._("A planned-work window may last at least one hour.")
                )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    fs_planned_notice_days = fields.Integer(
        related="company_id.fs_planned_notice_days", readonly=False
    )
    fs_planned_notice_days_important = fields.Integer(
        related="company_id.fs_planned_notice_days_important", readonly=False
    )
    fs_planned_max_hours = fields.Integer(
        related="company_id.fs_planned_max_hours", readonly=False
    )
