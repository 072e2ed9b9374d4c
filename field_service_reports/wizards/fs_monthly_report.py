from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.field_service_sla.sla_core import BadMonth, Month

MONTHS = [
    ("1", "January"),
    ("2", "February"),
    ("3", "March"),
    ("4", "April"),
    ("5", "May"),
    ("6", "June"),
    ("7", "July"),
    ("8", "August"),
    ("9", "September"),
    ("10", "October"),
    ("11", "November"),
    ("12", "December"),
]
YEARS_BACK = 10
# who produces the report: dispatchers, account managers (and SLA
# administrators, who are both)
REPORT_GROUPS = (
    "field_service_sla.group_fs_dispatcher",
    "field_service_sla.group_fs_account_manager",
)


class FsMonthlyReport(models.TransientModel):
    """The monthly customer-response report (客户响应月报): which month,
    company and teams; the workbook itself is report.fs_monthly_report_xlsx."""

    _name = "fs.monthly.report"
    _description = "Monthly customer-response report"

    @api.model
    def _last_month(self):
        return Month.of(fields.Date.context_today(self)).previous()

    @api.model
    def _year_selection(self):
        this_year = fields.Date.context_today(self).year
        return [(str(y), str(y)) for y in range(this_year, this_year - YEARS_BACK, -1)]

    year = fields.Selection(
        "_year_selection", default=lambda self: str(self._last_month().year)
    )
    month = fields.Selection(MONTHS, default=lambda self: str(self._last_month().month))
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)],
    )
    team_ids = fields.Many2many(
        "helpdesk.ticket.team",
        string="Teams",
        domain="[('company_id', 'in', [company_id, False])]",
        help="Leave empty for every team of the company.",
    )

    def _check_request(self):
        """The scope of the report, or a clear error: nothing is produced for
        an impossible request."""
        self.ensure_one()
        if not any(self.env.user.has_group(group) for group in REPORT_GROUPS):
            raise AccessError(
                self.env._(
                    "Only dispatchers, account managers and SLA administrators "
                    "produce the monthly customer-response report."
                )
            )
        if not self.company_id:
            raise UserError(self.env._("Choose the company the report is for."))
        if self.company_id not in self.env.user.company_ids:
            raise UserError(
                self.env._(
                    "You do not work for %(company)s: choose one of your companies.",
                    company=self.company_id.name,
                )
            )
        if not (self.year and self.month):
            raise UserError(self.env._("Choose the year and the month of the report."))
        month = Month(int(self.year), int(self.month))
        try:
            month.check_not_future(fields.Date.context_today(self))
        except BadMonth as error:
            raise UserError(
                self.env._(
                    "The report covers a past or the current month: %(month)s "
                    "has not begun yet.",
                    month=str(month),
                )
            ) from error
        foreign = self.team_ids.filtered(
            lambda team: team.company_id and team.company_id != self.company_id
        )
        if foreign:
            raise UserError(
                self.env._(
                    "Teams %(teams)s do not belong to %(company)s.",
                    teams=", ".join(foreign.mapped("name")),
                    company=self.company_id.name,
                )
            )
        return self.env["fs.monthly.report.data"]._scope(
            self.company_id, month, self.team_ids
        )

    def action_print(self):
        self._check_request()
        return self.env.ref(
            "field_service_reports.action_report_fs_monthly_xlsx"
        ).report_action(self, config=False)

    def _report_filename(self):
        return self.env._(
            "Customer response %(company)s %(month)s",
            company=self.company_id.name,
            month=f"{self.year}-{int(self.month):02d}",
        )
