from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..sla_core.planned_work import (
    EMERGENCY_WITHOUT_REASON,
    ENDS_BEFORE_START,
    IN_THE_PAST,
    NO_LINE,
    NOTICE_TOO_LATE,
    TOO_LONG,
    Window,
    line_conflicts,
    notice_days,
    notice_deadline,
    window_problems,
)

STATES = [
    ("draft", "Draft"),
    ("notified", "Notified"),
    ("confirmed", "Confirmed"),
    ("in_progress", "In progress"),
    ("done", "Done"),
    ("rolled_back", "Rolled back"),
    ("cancelled", "Cancelled"),
]
#: the states in which a window is announced: tickets raised in it are its own
ANNOUNCED = ("notified", "confirmed", "in_progress")
#: what customers were told: changing it means telling them again
ANNOUNCED_FIELDS = {"date_start", "date_end", "line_ids", "emergency"}


def local_minute(record, moment):
    """A stored time as the user reads it (their time zone), to the minute."""
    return fields.Datetime.context_timestamp(record, moment).strftime("%Y-%m-%d %H:%M")


class FsPlannedWork(models.Model):
    """A cutover (割接): planned network work that interrupts customers'
    lines in a window. Customers are told beforehand (fs.planned.work.notice);
    tickets raised on its lines in its window are its own: their clocks
    pause until the window ends and they leave the month's figures as
    planned (helpdesk_ticket_planned_work). The window arithmetic is the
    core's (sla_core.planned_work)."""

    _name = "fs.planned.work"
    _description = "Planned work (cutover)"
    _inherit = ["fs.button.state.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    reference = fields.Char(
        string="Reference", readonly=True, copy=False, default="/", index=True
    )
    name = fields.Char(string="Title", required=True, tracking=True)
    reason = fields.Text(required=True, help="Why the network is changed.")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        required=True,
        tracking=True,
        default=lambda s: s.env.user,
        domain="[('share', '=', False)]",
    )
    date_start = fields.Datetime(string="Window start", required=True, tracking=True)
    date_end = fields.Datetime(string="Window end", required=True, tracking=True)
    duration_hours = fields.Float(
        string="Duration (hours)", compute="_compute_duration_hours"
    )
    expected_minutes = fields.Integer(
        string="Expected interruption (min)",
        default=30,
        help="The interruption announced for a line added to this planned work; "
        "each line can say its own.",
    )
    rollback_plan = fields.Text(string="Rollback plan")
    rollback_note = fields.Text(
        string="Why rolled back", tracking=True, copy=False, readonly=True
    )
    emergency = fields.Boolean(
        tracking=True,
        help="An emergency cutover is notified at once, whatever the notice "
        "period, and shown as an emergency to customers. It needs a reason.",
    )
    emergency_reason = fields.Text(string="Emergency reason", tracking=True)
    state = fields.Selection(
        STATES,
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    line_ids = fields.One2many(
        "fs.planned.work.line", "planned_work_id", string="Affected lines", copy=True
    )
    notice_ids = fields.One2many(
        "fs.planned.work.notice",
        "planned_work_id",
        string="Customers",
        readonly=True,
        copy=False,
    )
    ticket_ids = fields.One2many(
        "helpdesk.ticket", "planned_work_id", string="Tickets", readonly=True
    )
    line_count = fields.Integer(string="Lines", compute="_compute_counts")
    customer_count = fields.Integer(
        string="Customers affected", compute="_compute_counts"
    )
    ticket_count = fields.Integer(string="Tickets raised", compute="_compute_counts")
    notice_days = fields.Integer(
        string="Notice owed (days)",
        compute="_compute_notice",
        help="The longest notice an affected customer is owed: more for "
        "important customers.",
    )
    notice_deadline = fields.Datetime(
        string="Notify by",
        compute="_compute_notice",
        help="The last moment customers can be told for this window.",
    )
    notified_date = fields.Datetime(string="Notified on", readonly=True, copy=False)
    conflict_ids = fields.Many2many(
        "fs.planned.work",
        string="Conflicts",
        compute="_compute_conflicts",
        help="Other announced planned works on the same lines at overlapping times.",
    )
    conflict_note = fields.Text(string="Conflicts with", compute="_compute_conflicts")
    override_reason = fields.Text(
        string="Overlap accepted because",
        tracking=True,
        copy=False,
        groups="field_service_sla.group_fs_sla_admin",
        help="An SLA administrator lets this planned work be notified despite its "
        "conflicts, for this reason.",
    )
    overridden = fields.Boolean(
        string="Overlap accepted", compute="_compute_overridden"
    )
    window_settled = fields.Boolean(
        string="Window settled",
        readonly=True,
        copy=False,
        help="Set when the window has ended and its tickets were told whether they "
        "count as planned or as faults.",
    )
    color = fields.Integer(string="Colour", compute="_compute_color")

    # new tickets probe for an announced window holding their report
    _announced_idx = models.Index(
        "(date_start, date_end) WHERE state IN ('notified', 'confirmed', 'in_progress')"
    )
    _state_end_idx = models.Index(
        "(date_end) WHERE state IN ('notified', 'confirmed', 'in_progress')"
        " AND window_settled IS NOT TRUE"
    )

    # ------------------------------------------------------------------
    # computes
    # ------------------------------------------------------------------
    @api.depends("date_start", "date_end")
    def _compute_duration_hours(self):
        for work in self:
            if work.date_start and work.date_end:
                work.duration_hours = (
                    work.date_end - work.date_start
                ).total_seconds() / 3600
            else:
                work.duration_hours = 0

    @api.depends("line_ids", "notice_ids", "ticket_ids")
    def _compute_counts(self):
        for work in self:
            work.line_count = len(work.line_ids)
            work.customer_count = len(work.line_ids.partner_id)
            work.ticket_count = len(work.ticket_ids)

    @api.depends("date_start", "line_ids.partner_id.is_important_customer")
    def _compute_notice(self):
        for work in self:
            company = work.company_id or self.env.company
            important = any(work.line_ids.partner_id.mapped("is_important_customer"))
            work.notice_days = notice_days(
                important,
                company.fs_planned_notice_days,
                company.fs_planned_notice_days_important,
            )
            work.notice_deadline = (
                notice_deadline(work.date_start, work.notice_days)
                if work.date_start
                else False
            )

    @api.depends("date_start", "date_end", "line_ids.service_line_id")
    def _compute_conflicts(self):
        others = self._announced_overlapping()
        for work in self:
            if not (work.date_start and work.date_end and work.line_ids):
                work.conflict_ids = False
                work.conflict_note = False
                continue
            found = line_conflicts(
                Window(work.date_start, work.date_end),
                work.line_ids.service_line_id.ids,
                [
                    (o.id, Window(o.date_start, o.date_end), lines)
                    for o, lines in others
                    if o.id != work.id and o.id != work._origin.id
                ],
            )
            conflicts = self.browse(list(found))
            work.conflict_ids = conflicts
            work.conflict_note = (
                "\n".join(
                    self.env._(
                        "%(work)s (%(start)s - %(end)s): %(lines)s",
                        work=other.display_name,
                        start=local_minute(self, other.date_start),
                        end=local_minute(self, other.date_end),
                        lines=", ".join(
                            self.env["fs.service.line"]
                            .browse(sorted(found[other.id]))
                            .mapped("circuit_ref")
                        ),
                    )
                    for other in conflicts
                )
                or False
            )

    def _announced_overlapping(self):
        """The announced planned works overlapping any of these windows, with
        their lines: [(work, line ids)], in one search."""
        dated = self.filtered(lambda w: w.date_start and w.date_end)
        if not dated:
            return []
        works = self.sudo().search(
            [
                ("state", "in", ANNOUNCED),
                ("date_start", "<", max(dated.mapped("date_end"))),
                ("date_end", ">", min(dated.mapped("date_start"))),
            ]
        )
        return [(w, w.line_ids.service_line_id.ids) for w in works]

    def _compute_overridden(self):
        for work in self:
            work.overridden = bool((work.sudo().override_reason or "").strip())

    @api.depends("state", "emergency")
    def _compute_color(self):
        colors = {"draft": 0, "done": 10, "rolled_back": 9, "cancelled": 0}
        for work in self:
            work.color = 1 if work.emergency else colors.get(work.state, 4)

    @api.depends("reference", "name")
    def _compute_display_name(self):
        for work in self:
            work.display_name = (
                f"{work.reference} {work.name}"
                if work.reference and work.reference != "/"
                else work.name
            )

    # ------------------------------------------------------------------
    # invariants: in create, write and copy alike
    # ------------------------------------------------------------------
    @api.constrains("date_start", "date_end")
    def _check_window(self):
        for work in self:
            window = Window(work.date_start, work.date_end)
            if window.end <= window.start:
                raise ValidationError(self._problem_text(work, ENDS_BEFORE_START))
            if window.duration > timedelta(hours=work.company_id.fs_planned_max_hours):
                raise ValidationError(self._problem_text(work, TOO_LONG))

    @api.model_create_multi
    def create(self, vals_list):
        works = super().create(vals_list)
        for work in works:
            work.reference = self.env["ir.sequence"].next_by_code(
                "fs.planned.work"
            ) or str(work.id)
        return works

    def _fs_state_refusal(self):
        return self.env._(
            "A planned work moves on with its buttons (Notify, Confirm, "
            "Start, Done, Roll back), not by writing its state."
        )

    def write(self, vals):
        if ANNOUNCED_FIELDS & set(vals) and not self.env.su:
            announced = self.filtered(lambda w: w.state != "draft")
            if announced:
                raise UserError(
                    self.env._(
                        "%s was announced to its customers: set it back to draft "
                        "to change its window or its lines (they are told again "
                        "when it is notified again).",
                        ", ".join(announced.mapped("display_name")),
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if self.filtered(lambda w: w.state not in ("draft", "cancelled")):
            raise UserError(
                self.env._(
                    "Only draft or cancelled planned works can be deleted: the "
                    "others were announced to customers."
                )
            )

    # ------------------------------------------------------------------
    # what is wrong, in words
    # ------------------------------------------------------------------
    def _problem_text(self, work, code):
        _ = self.env._
        name = work.display_name
        if code == TOO_LONG:
            return _(
                "%(work)s: a window may last at most %(hours)s hours "
                "(Settings: longest planned-work window).",
                work=name,
                hours=work.company_id.fs_planned_max_hours,
            )
        if code == NOTICE_TOO_LATE:
            return _(
                "%(work)s: customers must be told %(days)s days before the "
                "window, by %(deadline)s. Move the window, or mark it as an "
                "emergency cutover with its reason.",
                work=name,
                days=work.notice_days,
                deadline=local_minute(self, work.notice_deadline),
            )
        texts = {
            ENDS_BEFORE_START: _("%s: the window must end after it starts.", name),
            NO_LINE: _("%s: add the affected service lines first.", name),
            EMERGENCY_WITHOUT_REASON: _(
                "%s: an emergency cutover needs its reason.", name
            ),
            IN_THE_PAST: _("%s: the window has already started.", name),
        }
        return texts[code]

    def _check_can_notify(self):
        now = fields.Datetime.now()
        for work in self:
            problems = window_problems(
                Window(work.date_start, work.date_end),
                now=now,
                notice=work.notice_days,
                line_count=len(work.line_ids),
                max_hours=work.company_id.fs_planned_max_hours,
                emergency=work.emergency,
                reason=work.emergency_reason,
            )
            if problems:
                raise UserError(
                    "\n".join(self._problem_text(work, code) for code in problems)
                )
            if work.conflict_ids and not work.overridden:
                raise UserError(
                    self.env._(
                        "%(work)s overlaps announced planned works on the same "
                        "lines:\n%(conflicts)s\nMove the window, or have an SLA "
                        "administrator accept the overlap with a reason.",
                        work=work.display_name,
                        conflicts=work.conflict_note,
                    )
                )
