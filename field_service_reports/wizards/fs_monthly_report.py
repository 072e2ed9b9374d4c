from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..reports_core.monthly import BadMonth, Month

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
# the years a report can be asked for: from this one to the next calendar
# year (a month that has not begun is refused with its own message); the
# trend sheet looks a year further back
FIRST_YEAR = 2000
# who produces the report: dispatchers, account managers (and SLA
# administrators, who are both)
REPORT_GROUPS = (
    "field_service_sla.group_fs_dispatcher",
    "field_service_sla.group_fs_account_manager",
)


class FsMonthPickerMixin(models.AbstractModel):
    """A dialog that asks for a month: the year and the month as two
    selections (last month by default), and whatever a client sends for
    them either clean or refused with a clear error, in create and write
    alike. The monthly report and the contractors' scoring ask this way."""

    _name = "fs.month.picker.mixin"
    _description = "Month asked for by a dialog"

    @api.model
    def _last_month(self):
        return Month.of(fields.Date.context_today(self)).previous()

    @api.model
    def _year_selection(self):
        this_year = fields.Date.context_today(self).year
        return [(str(y), str(y)) for y in range(this_year, this_year - YEARS_BACK, -1)]

    @api.model
    def _month_selection(self):
        # a method, not a list: the ORM would refuse a value outside a list
        # with a raw ValueError; _fs_clean_period says what is wrong instead
        return MONTHS

    year = fields.Selection(
        "_year_selection", default=lambda self: str(self._last_month().year)
    )
    month = fields.Selection(
        "_month_selection", default=lambda self: str(self._last_month().month)
    )

    @api.model
    def _fs_clean_period(self, vals):
        """``vals`` with the year and month as the selections hold them
        ("2026", "3"), or a clear error: a year from FIRST_YEAR to next
        year, a month from 1 to 12. Whatever a client sends (text, negative
        or huge numbers), nothing impossible is stored."""
        vals = dict(vals)
        last_year = fields.Date.context_today(self).year + 1
        for name, low, high in (("year", FIRST_YEAR, last_year), ("month", 1, 12)):
            value = vals.get(name)
            if value in (None, False, ""):
                continue
            text = str(value).strip()
            if not (text.isdigit() and low <= int(text) <= high):
                if name == "year":
                    message = self.env._(
                        "The year of the report is a year from %(low)s to %(high)s, "
                        "not “%(value)s”.",
                        low=low,
                        high=high,
                        value=value,
                    )
                else:
                    message = self.env._(
                        "The month of the report is a month from 1 to 12, not "
                        "“%(value)s”.",
                        value=value,
                    )
                raise ValidationError(message)
            vals[name] = str(int(text))
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._fs_clean_period(vals) for vals in vals_list])

    def write(self, vals):
        return super().write(self._fs_clean_period(vals))


class FsMonthlyReport(models.TransientModel):
    """The monthly customer-response report (客户响应月报): which month,
    company and teams; the workbook itself is report.fs_monthly_report_xlsx."""

    _name = "fs.monthly.report"
    _inherit = ["fs.month.picker.mixin"]
    _description = "Monthly customer-response report"

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
        period = self._fs_clean_period({"year": self.year, "month": self.month})
        month = Month(int(period["year"]), int(period["month"]))
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
