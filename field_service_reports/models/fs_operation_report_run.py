import logging

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..reports_core.monthly import Month
from ..reports_core.operation_report import BadPeriod, Period
from .fs_operation_report import PERIOD_KINDS, default_first_day

_logger = logging.getLogger(__name__)

RUN_STATES = [
    ("draft", "Draft"),
    ("queued", "Queued"),
    ("running", "Running"),
    ("done", "Done"),
]
# customers per transaction: each batch is committed with the cron's
# progress, and the cache emptied, so memory stays flat however many
DEFAULT_BATCH = 50
PROCESS_CRON = "field_service_reports.ir_cron_fs_operation_report_runs"


class FsOperationReportRun(models.Model):
    """Producing a period's operation reports for every group customer of
    some tiers, as a background job: drafts for their account managers.
    A customer that already has its report for the period is left as it
    is; one whose report fails is logged and skipped, the others go on; the
    SLA administrators are told once, at the end, of what failed."""

    _name = "fs.operation.report.run"
    _description = "Operation reports: a batch"
    _inherit = ["fs.button.state.mixin", "mail.thread"]
    # the state and the job's counts: written by the buttons and the job only
    _fs_button_fields = (
        "state",
        "total",
        "done_count",
        "created_count",
        "skipped_count",
        "failed_count",
        "failure_log",
        "failed_partner_ids",
    )
    _order = "id desc"

    name = fields.Char(string="Title", compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)],
    )
    period_kind = fields.Selection(
        PERIOD_KINDS, string="Report period", required=True, default="month"
    )
    date_from = fields.Date(
        string="From", required=True, default=lambda self: default_first_day(self)
    )
    tier_ids = fields.Many2many(
        "fs.customer.tier",
        string="Customer tiers",
        help="Leave empty for the group customers of every tier.",
    )
    state = fields.Selection(
        RUN_STATES, default="draft", required=True, readonly=True, copy=False
    )
    total = fields.Integer(string="Customers", readonly=True, copy=False)
    done_count = fields.Integer(string="Processed", readonly=True, copy=False)
    created_count = fields.Integer(string="Reports made", readonly=True, copy=False)
    skipped_count = fields.Integer(string="Already made", readonly=True, copy=False)
    failed_count = fields.Integer(string="Failed", readonly=True, copy=False)
    progress = fields.Float(compute="_compute_progress")
    failure_log = fields.Text(string="Failures", readonly=True, copy=False)
    failed_partner_ids = fields.Many2many(
        "res.partner",
        string="Customers failed",
        readonly=True,
        copy=False,
        help="Left out of this batch, their failure logged: a new batch "
        "tries them again.",
    )

    @api.depends("period_kind", "date_from", "company_id")
    def _compute_name(self):
        for run in self:
            try:
                period = str(Period(run.period_kind, run.date_from))
            except (BadPeriod, TypeError, AttributeError):
                period = ""
            run.name = f"{run.company_id.name or ''} {period}".strip()

    @api.depends("total", "done_count")
    def _compute_progress(self):
        for run in self:
            run.progress = 100.0 * run.done_count / run.total if run.total else 0.0

    @api.constrains("period_kind", "date_from")
    def _check_period(self):
        for run in self:
            try:
                Period(run.period_kind, run.date_from)
            except BadPeriod as error:
                raise ValidationError(
                    self.env._(
                        "A month starts on its first day and a quarter on 1 "
                        "January, 1 April, 1 July or 1 October, not on %(day)s.",
                        day=run.date_from,
                    )
                ) from error

    def _fs_state_refusal(self):
        return self.env._(
            "A batch of operation reports moves with its Start button and its "
            "job, not by hand."
        )

    def _fs_write(self, **vals):
        self.sudo().with_context(fs_state_transition=True).write(vals)

    # ------------------------------------------------------------------
    # start
    # ------------------------------------------------------------------
    def action_start(self):
        self._check_state(["draft"])
        for run in self:
            period = Period(run.period_kind, run.date_from)
            tz = run.company_id._fs_operator_tz()
            try:
                period.check_ended(fields.Date.context_today(run.with_context(tz=tz)))
            except BadPeriod as error:
                raise UserError(
                    self.env._(
                        "The period %(period)s is not over yet: its reports are "
                        "made from %(day)s on.",
                        period=str(period),
                        day=period.end,
                    )
                ) from error
        self._move("queued", ["draft"])
        self.env.ref(PROCESS_CRON)._trigger()
        return True

    # ------------------------------------------------------------------
    # the job
    # ------------------------------------------------------------------
    @api.model
    def _cron_monthly(self):
        """The 1st of the month: last month's drafts for every group
        customer of each company, then the job."""
        for company in self.env["res.company"].sudo().search([]):
            tz = company._fs_operator_tz()
            today = fields.Date.context_today(self.with_context(tz=tz))
            first_day = Month.of(today).previous().first_day
            known = self.search_count(
                [
                    ("company_id", "=", company.id),
                    ("period_kind", "=", "month"),
                    ("date_from", "=", first_day),
                    ("tier_ids", "=", False),
                ]
            )
            if not known:
                run = self.create(
                    {
                        "company_id": company.id,
                        "period_kind": "month",
                        "date_from": first_day,
                    }
                )
                run._move("queued", ["draft"])
        return self._cron_process()

    @api.model
    def _cron_process(self, batch_size=DEFAULT_BATCH):
        for run in self.search([("state", "in", ("queued", "running"))], order="id"):
            if not run._fs_process(batch_size):
                # out of time: the next call goes on where this one stopped
                self.env.ref(PROCESS_CRON)._trigger()
                return False
        return True

    def _fs_customers(self):
        """The group customers of the run's tiers with a service line of its
        company, ids in a stable order."""
        self.ensure_one()
        domain = [
            ("is_company", "=", True),
            ("customer_segment", "=", "enterprise"),
            ("service_line_ids.company_id", "=", self.company_id.id),
        ]
        if self.tier_ids:
            domain.append(("customer_tier_id", "in", self.tier_ids.ids))
        return self.env["res.partner"].sudo().search(domain, order="id").ids

    def _fs_process(self, batch_size=DEFAULT_BATCH):
        """Make the run's reports a batch per transaction; False when the
        cron's time ran out before the end."""
        self.ensure_one()
        Cron = self.env["ir.cron"]
        Report = self.env["fs.operation.report"].sudo()
        customers = self._fs_customers()
        made = set(
            Report.search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("period_kind", "=", self.period_kind),
                    ("date_from", "=", self.date_from),
                    ("partner_id", "in", customers),
                ]
            ).partner_id.ids
        )
        # a run resumed after the cron's time ran out: what it made, and
        # what failed in it, is not done again
        skip = made | set(self.failed_partner_ids.ids)
        todo = [customer for customer in customers if customer not in skip]
        if self.state == "queued":
            self._fs_write(
                state="running",
                total=len(customers),
                done_count=len(made),
                skipped_count=len(made),
            )
        Cron._commit_progress(0, remaining=len(todo))
        run_id, now = self.id, fields.Datetime.now()
        for start in range(0, len(todo), batch_size):
            chunk = todo[start : start + batch_size]
            created, failures = self._fs_make(chunk, now)
            run = self.browse(run_id)
            log = "\n".join(filter(None, [run.failure_log, *failures.values()]))
            run._fs_write(
                done_count=run.done_count + len(chunk),
                created_count=run.created_count + created,
                failed_count=run.failed_count + len(failures),
                failure_log=log or False,
                failed_partner_ids=[
                    fields.Command.link(customer) for customer in failures
                ],
            )
            # nothing of this batch stays in memory
            self.env.invalidate_all()
            if Cron._commit_progress(len(chunk)) <= 0 and start + batch_size < len(
                todo
            ):
                return False
        run = self.browse(run_id)
        run._fs_write(state="done")
        run._fs_tell_admins()
        Cron._commit_progress(0)
        return True

    def _fs_make(self, customer_ids, now):
        """Each customer's draft in a savepoint of its own: one that fails
        is rolled back and logged, the batch goes on."""
        Report = self.env["fs.operation.report"].sudo()
        created, failures = 0, {}
        for customer in self.env["res.partner"].sudo().browse(customer_ids):
            try:
                with self.env.cr.savepoint():
                    report = Report.create(
                        {
                            "company_id": self.company_id.id,
                            "partner_id": customer.id,
                            "period_kind": self.period_kind,
                            "date_from": self.date_from,
                        }
                    )
                    report._fs_compute_figures(now=now)
                    report._fs_ask_review()
                created += 1
            except Exception as error:  # isolated: logged, and the admins told
                _logger.exception(
                    "Operation report of %s (run %s) failed", customer.id, self.id
                )
                self.env.invalidate_all()
                failures[customer.id] = f"{customer.display_name}: {error}"
        return created, failures

    def _fs_tell_admins(self):
        """One message to the SLA administrators when something failed."""
        if not self.failed_count:
            return
        admins = (
            self.env.ref("field_service_sla.group_fs_sla_admin").sudo().all_user_ids
        )
        admins = admins.filtered(lambda u: self.company_id in u.company_ids)
        self.sudo().message_post(
            body=self.env._(
                "%(failed)s of %(total)s operation reports of %(run)s failed; "
                "the others are made. Failures:\n%(log)s",
                failed=self.failed_count,
                total=self.total,
                run=self.name,
                log=self.failure_log,
            ),
            partner_ids=admins.partner_id.ids,
            subtype_xmlid="mail.mt_comment",
            message_type="comment",
        )
