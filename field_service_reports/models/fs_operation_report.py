import uuid

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..report.fs_monthly_report_data import ReportScope, utc
from ..reports_core.availability import combined
from ..reports_core.monthly import Month
from ..reports_core.operation_report import (
    BAD_START,
    MONTH,
    QUARTER,
    BadPeriod,
    Period,
    chart_months,
)

STATES = [("draft", "Draft"), ("released", "Released")]
PERIOD_KINDS = [(MONTH, "Month"), (QUARTER, "Quarter")]
LANGS = [("zh_CN", "Chinese"), ("en_US", "English")]
#: what the customer reads: fixed once the report is released
CONTENT_FIELDS = {
    "partner_id",
    "company_id",
    "period_kind",
    "date_from",
    "lang",
    "remarks",
    "recommendations",
    "user_id",
}
#: written by the buttons only (generate, refresh, release)
COMPUTED_FIELDS = {
    "line_ids",
    "chart_data",
    "generated_date",
    "availability",
    "outage_hours",
    "planned_hours",
    "fault_count",
    "repeat_count",
    "restored_count",
    "mean_restore_hours",
    "worst_restore_hours",
    "on_time_count",
    "missed_count",
    "released_date",
    "released_by_id",
    "attachment_id",
    "pdf_hash",
}
CHART_MONTHS = 6


def default_first_day(record):
    """The first day of last month, in the operator's time zone: the report
    a manager makes at the beginning of a month."""
    tz = record.env.company._fs_operator_tz()
    today = fields.Date.context_today(record.with_context(tz=tz))
    return Month.of(today).previous().first_day


class FsOperationReport(models.Model):
    """The customer network operation report (客户网络运行报告): how a group
    customer's network ran over a month or a quarter. Its figures are the
    monthly workbook's (fs.monthly.report.data), for this customer; they are
    computed when the report is generated or refreshed, printed as stored.
    The account manager generates it, reviews it, adds remarks and releases
    it: the PDF is archived, published in the customer's portal and the
    customer's contacts are told."""

    _name = "fs.operation.report"
    _description = "Customer network operation report"
    _inherit = [
        "fs.button.state.mixin",
        "portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "date_from desc, partner_id, id desc"
    # the state and the figures: written by the buttons only (the mixin's
    # guard, in create and write alike)
    _fs_button_fields = ("state", *sorted(COMPUTED_FIELDS))
    _check_company_auto = True

    name = fields.Char(string="Title", compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        domain=[("is_company", "=", True), ("customer_segment", "=", "enterprise")],
    )
    customer_tier_id = fields.Many2one(
        related="partner_id.customer_tier_id", store=True, string="Customer tier"
    )
    user_id = fields.Many2one(
        "res.users",
        string="Account manager",
        tracking=True,
        index=True,
        domain=[("share", "=", False)],
        compute="_compute_user_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    period_kind = fields.Selection(
        PERIOD_KINDS,
        string="Report period",
        required=True,
        default=MONTH,
        tracking=True,
    )
    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda self: default_first_day(self),
        tracking=True,
        help="The first day of the month or quarter.",
    )
    date_to = fields.Date(string="To", compute="_compute_date_to", store=True)
    state = fields.Selection(
        STATES,
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    lang = fields.Selection(
        LANGS,
        string="Language",
        required=True,
        default="zh_CN",
        help="Chinese unless the customer asks for English.",
    )
    remarks = fields.Text(
        string="Remarks",
        help="The account manager's remarks on how the network ran.",
    )
    recommendations = fields.Text(string="Recommendations")
    generated_date = fields.Datetime(string="Figures of", readonly=True, copy=False)
    line_ids = fields.One2many(
        "fs.operation.report.line", "report_id", string="Service lines", readonly=True
    )
    chart_data = fields.Json(string="Chart", readonly=True, copy=False)
    availability = fields.Float(
        readonly=True, digits=(16, 5), help="All lines together, planned work excluded."
    )
    outage_hours = fields.Float(string="Out of service (h)", readonly=True)
    planned_hours = fields.Float(string="Planned work (h)", readonly=True)
    fault_count = fields.Integer(string="Faults", readonly=True)
    repeat_count = fields.Integer(string="Repeated faults", readonly=True)
    restored_count = fields.Integer(string="Faults restored", readonly=True)
    mean_restore_hours = fields.Float(string="Mean restore time (h)", readonly=True)
    worst_restore_hours = fields.Float(string="Longest restore time (h)", readonly=True)
    on_time_count = fields.Integer(string="Milestones on time", readonly=True)
    missed_count = fields.Integer(string="Milestones missed", readonly=True)
    on_time_rate = fields.Float(
        string="On-time rate", compute="_compute_on_time_rate", digits=(16, 4)
    )
    released_date = fields.Datetime(string="Released on", readonly=True, copy=False)
    released_by_id = fields.Many2one(
        "res.users", string="Released by", readonly=True, copy=False
    )
    attachment_id = fields.Many2one(
        "ir.attachment", string="Released PDF", readonly=True, copy=False
    )
    pdf_hash = fields.Char(string="PDF SHA-256", readonly=True, copy=False)

    _period_uniq = models.Constraint(
        "UNIQUE(company_id, partner_id, period_kind, date_from)",
        "A customer has one operation report per period.",
    )

    # ------------------------------------------------------------------
    # computes
    # ------------------------------------------------------------------
    @api.depends("partner_id", "period_kind", "date_from")
    def _compute_name(self):
        for report in self:
            period = report._fs_period_or_none()
            report.name = (
                f"{report.partner_id.name or ''} {period or ''}".strip() or "/"
            )

    @api.depends("partner_id")
    def _compute_user_id(self):
        for report in self:
            if report.state == "draft" or not report.user_id:
                report.user_id = report.partner_id.account_manager_id

    @api.depends("period_kind", "date_from")
    def _compute_date_to(self):
        for report in self:
            period = report._fs_period_or_none()
            report.date_to = period.last_day if period else False

    @api.depends("on_time_count", "missed_count")
    def _compute_on_time_rate(self):
        for report in self:
            assessed = report.on_time_count + report.missed_count
            report.on_time_rate = report.on_time_count / assessed if assessed else 0.0

    def _compute_access_url(self):
        super()._compute_access_url()
        for report in self:
            report.access_url = f"/my/operation-reports/{report.id}"

    # ------------------------------------------------------------------
    # the period
    # ------------------------------------------------------------------
    def _fs_period_or_none(self):
        if not (self.period_kind and self.date_from):
            return None
        try:
            return Period(self.period_kind, self.date_from)
        except BadPeriod:
            return None

    def _fs_period(self):
        self.ensure_one()
        return Period(self.period_kind, self.date_from)

    @api.constrains("period_kind", "date_from")
    def _check_period(self):
        for report in self:
            try:
                report._fs_period()
            except BadPeriod as error:
                if error.code == BAD_START and report.period_kind == QUARTER:
                    message = self.env._(
                        "A quarter starts on 1 January, 1 April, 1 July or "
                        "1 October, not on %(day)s.",
                        day=report.date_from,
                    )
                else:
                    message = self.env._(
                        "A month's report starts on the first day of the month, "
                        "not on %(day)s.",
                        day=report.date_from,
                    )
                raise ValidationError(message) from error

    @api.constrains("partner_id")
    def _check_partner(self):
        for report in self:
            customer = report.partner_id
            if customer != customer.commercial_partner_id or (
                customer.customer_segment != "enterprise"
            ):
                raise ValidationError(
                    self.env._(
                        "%(customer)s is not a group customer: an operation "
                        "report is made for a group customer's company.",
                        customer=customer.display_name,
                    )
                )

    def _fs_scope(self, period=None):
        """The monthly figures' scope of this customer over ``period`` (its
        own by default), in the operator's time zone."""
        self.ensure_one()
        period = period or self._fs_period()
        tz = self.company_id._fs_operator_tz()
        start, end = (utc(moment, tz) for moment in period.bounds())
        return ReportScope(
            self.company_id.id,
            Month.of(period.first_day),
            start,
            end,
            (),
            tz,
            (self.partner_id.id,),
        )

    # ------------------------------------------------------------------
    # create, write, copy
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals.setdefault("access_token", str(uuid.uuid4()))
        return super().create(vals_list)

    def write(self, vals):
        # the buttons write as superuser; a client's context alone opens nothing
        if (
            not self._fs_in_transition()
            and CONTENT_FIELDS & vals.keys()
            and any(report.state == "released" for report in self)
        ):
            raise UserError(
                self.env._(
                    "A released operation report is what the customer "
                    "received: it is not changed."
                )
            )
        return super().write(vals)

    def copy(self, default=None):
        raise UserError(
            self.env._(
                "An operation report is generated for a customer and a period, "
                "not copied."
            )
        )

    def unlink(self):
        if any(report.state == "released" for report in self):
            raise UserError(
                self.env._(
                    "A released operation report is archived: it is not deleted."
                )
            )
        return super().unlink()

    def _fs_state_refusal(self):
        return self.env._(
            "The state and the figures of an operation report are written by its "
            "buttons (Refresh figures, Release), not by hand."
        )

    # ------------------------------------------------------------------
    # figures
    # ------------------------------------------------------------------
    def action_refresh(self):
        """Compute (again) the figures of these draft reports."""
        self._check_state(["draft"])
        self._fs_compute_figures()
        return True

    def _fs_compute_figures(self, now=None):
        """The report's figures from the monthly figures' functions: per
        line (stored, the pivot's rows), in total, and by month for the
        chart. Written as superuser after the caller's access check."""
        Data = self.env["fs.monthly.report.data"]
        Line = self.env["fs.operation.report.line"].sudo()
        now = now or fields.Datetime.now()
        for report in self:
            scope = report._fs_scope()
            figures = Data._line_figures(scope, now=now)
            report.sudo().line_ids.unlink()
            Line.create(
                [
                    {"report_id": report.id, **Line._fs_values(line_figures)}
                    for line_figures in figures.values()
                ]
            )
            total = combined(
                [f.availability for f in figures.values() if f.availability]
            )
            restored = sum(f.restored for f in figures.values())
            restore_hours = sum(f.restore_hours for f in figures.values())
            worst = [f.worst_hours for f in figures.values() if f.worst_hours]
            report.sudo().with_context(fs_state_transition=True).write(
                {
                    "generated_date": now,
                    "availability": total.availability or 0.0,
                    "outage_hours": total.outage_hours,
                    "planned_hours": total.planned_hours,
                    "fault_count": sum(f.faults for f in figures.values()),
                    "repeat_count": sum(f.repeats for f in figures.values()),
                    "restored_count": restored,
                    "mean_restore_hours": restore_hours / restored if restored else 0,
                    "worst_restore_hours": max(worst, default=0.0),
                    "on_time_count": sum(f.on_time for f in figures.values()),
                    "missed_count": sum(f.missed for f in figures.values()),
                    "chart_data": report._fs_chart(now),
                }
            )

    def _fs_chart(self, now):
        """``[[month, availability or None, faults]]`` for the chart's months
        ending with the period: the same functions, month by month."""
        Data = self.env["fs.monthly.report.data"]
        points = []
        for first_day in chart_months(self._fs_period(), CHART_MONTHS):
            scope = self._fs_scope(Period(MONTH, first_day))
            if scope.start >= now:
                points.append([f"{first_day:%Y-%m}", None, 0])
                continue
            figures = Data._line_figures(scope, now=now)
            total = combined(
                [f.availability for f in figures.values() if f.availability]
            )
            points.append(
                [
                    f"{first_day:%Y-%m}",
                    total.availability,
                    sum(f.faults for f in figures.values()),
                ]
            )
        return points

    def _fs_ask_review(self):
        """A to-do for the account manager of each draft: review, remark,
        release (no e-mail per to-do: a month's batch makes many)."""
        for report in self.filtered("user_id"):
            report.with_context(mail_activity_quick_update=True).activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=report.user_id.id,
                summary=self.env._("Review and release the operation report"),
            )

    # ------------------------------------------------------------------
    # buttons
    # ------------------------------------------------------------------
    def _fs_lang(self):
        """The language the report prints in: its own, once installed in
        the database (a database without Chinese prints English rather
        than fail)."""
        self.ensure_one()
        if self.lang == "en_US" or self.env["res.lang"]._get_data(code=self.lang):
            return self.lang
        return "en_US"

    def action_preview(self):
        """The PDF as it stands (a draft's, to review it), or the one
        released."""
        self.ensure_one()
        if self.state == "released" and self.attachment_id:
            return {
                "type": "ir.actions.act_url",
                "url": f"/web/content/{self.attachment_id.id}?download=true",
                "target": "new",
            }
        return self.env.ref(
            "field_service_reports.action_report_operation_report"
        ).report_action(self)
