from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..sla_core import duration_excluding
from .fs_customer_tier import SEGMENTS
from .fs_sla_clock import CLOCK_STATES, hours


def assign_by_value(records, name, value_of):
    """``record[name] = value_of(record)`` for each of ``records`` (in a
    compute method), in one assignment per distinct value: the ORM's cost of
    an assignment (cache, inverses, dirty flags) is then paid once per value,
    not once per ticket, when a batch of new tickets is computed."""
    groups = defaultdict(list)
    for record in records:
        groups[value_of(record)].append(record.id)
    for value, ids in groups.items():
        records.browse(ids)[name] = value


# changing these re-selects the policy and recomputes the open milestones
RECLASSIFY_FIELDS = {
    "service_line_id",
    "assurance_level_id",
    "priority",
    "team_id",
    "category_id",
    "partner_id",
    "company_id",
}
# The times that drive the SLA clocks (helpdesk_ticket_sla_times guards them).
REPORTED_FIELD = "reported_date"
REACH_TIME_FIELDS = (
    "fault_confirmed_date",
    "first_contact_date",
    "diagnosis_date",
    "on_site_date",
    "restored_date",
    "resolved_date",
    "report_date",
)
SLA_TIME_FIELDS = (REPORTED_FIELD, *REACH_TIME_FIELDS)
# changing these moves a clock's start or reach
EVENT_FIELDS = {"user_id", "assigned_date", "stage_id", *SLA_TIME_FIELDS}
# a ticket without clocks has "No SLA", so that grouping labels it; a closed
# ticket whose only running milestone is the fault report has "Report due"
TICKET_SLA_STATES = [
    ("none", "No SLA"),
    ("pending", "Not started"),
    *CLOCK_STATES[1:],
    ("report_due", "Report due"),
]


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    service_line_id = fields.Many2one(
        "fs.service.line",
        string="Service line",
        index="btree_not_null",
        tracking=True,
        domain="[('company_id', '=', company_id)]",
    )
    service_type_id = fields.Many2one(
        "fs.service.type",
        string="Service type",
        compute="_compute_service_type_id",
        store=True,
    )
    customer_segment = fields.Selection(
        SEGMENTS, string="Segment", compute="_compute_customer", store=True
    )
    customer_tier_id = fields.Many2one(
        "fs.customer.tier",
        string="Customer tier",
        compute="_compute_customer",
        store=True,
    )
    assurance_level_id = fields.Many2one(
        "fs.assurance.level",
        string="Assurance level",
        compute="_compute_assurance_level_id",
        store=True,
        readonly=False,
        tracking=True,
    )
    reported_date = fields.Datetime(
        "Reported at",
        default=fields.Datetime.now,
        copy=False,
        tracking=True,
        help="When the customer reported the fault or the first alarm came in: "
        "the clocks started by the report count from here.",
    )
    fault_confirmed_date = fields.Datetime("Fault confirmed", copy=False, tracking=True)
    first_contact_date = fields.Datetime("First contact", copy=False, tracking=True)
    diagnosis_date = fields.Datetime("Preliminary diagnosis", copy=False, tracking=True)
    on_site_date = fields.Datetime("Arrived on site", copy=False, tracking=True)
    restored_date = fields.Datetime("Service restored", copy=False, tracking=True)
    resolved_date = fields.Datetime("Resolved", copy=False, tracking=True)
    report_date = fields.Datetime("Fault report submitted", copy=False, tracking=True)
    sla_policy_id = fields.Many2one(
        "fs.sla.policy", string="SLA policy", readonly=True, copy=False
    )
    sla_clock_ids = fields.One2many(
        "fs.sla.clock", "ticket_id", string="SLA milestones", copy=False
    )
    sla_pause_ids = fields.One2many(
        "fs.sla.pause", "ticket_id", string="SLA pauses", copy=False
    )
    # Both maintained in SQL from the clocks (see _sla_refresh_summary), so the
    # breach sweep can update them set-based.
    sla_state = fields.Selection(
        TICKET_SLA_STATES,
        string="SLA status",
        default="none",
        readonly=True,
        copy=False,
    )
    sla_deadline = fields.Datetime(
        string="Next SLA deadline", readonly=True, copy=False, index=True
    )
    # Every index of the ticket table is written twice for each new ticket
    # (its INSERT, then the UPDATE of its computed fields): the ticket keeps
    # those its searches use. The status is mostly "running" or "met": only
    # the states the filters look for are indexed; tier, level and policy
    # have a handful of values each, which no plan reads through an index.
    _sla_state_alert_idx = models.Index(
        "(sla_state) WHERE sla_state IN ('breached', 'config_error')"
    )
    sla_paused = fields.Boolean(
        string="SLA paused", compute="_compute_sla_paused", search="_search_sla_paused"
    )
    sla_paused_by_hand = fields.Boolean(
        string="SLA paused by hand",
        compute="_compute_sla_paused",
        help="A pause opened with the Pause button is running: Resume ends it. "
        "A stage's pause ends when the ticket leaves the stage.",
    )
    sla_pause_reason = fields.Char(
        string="Paused for",
        compute="_compute_sla_paused",
        help="The reasons of the pauses now running.",
    )
    sla_due_soon = fields.Boolean(
        string="SLA due within 1 h",
        compute="_compute_sla_due_soon",
        search="_search_sla_due_soon",
    )
    sla_urgency = fields.Selection(
        [("ok", "On track"), ("soon", "Due soon"), ("late", "Late")],
        compute="_compute_sla_due_soon",
    )
    restore_duration_hours = fields.Float(
        string="Restore duration",
        compute="_compute_restore_duration_hours",
        store=True,
        help="From the report to service restored, paused time excluded.",
    )

    # ------------------------------------------------------------------
    # computes
    # ------------------------------------------------------------------
    @api.depends("service_line_id.service_type_id")
    def _compute_service_type_id(self):
        assign_by_value(
            self, "service_type_id", lambda t: t.service_line_id.service_type_id.id
        )

    @api.depends("partner_id", "service_line_id")
    def _compute_customer(self):
        customers = {
            ticket.id: (
                ticket.service_line_id.partner_id or ticket.partner_id
            ).commercial_partner_id
            for ticket in self
        }
        assign_by_value(
            self,
            "customer_segment",
            lambda t: (
                customers[t.id].customer_segment
                or customers[t.id].customer_tier_id.segment
            ),
        )
        assign_by_value(
            self, "customer_tier_id", lambda t: customers[t.id].customer_tier_id.id
        )

    @api.depends("service_line_id")
    def _compute_assurance_level_id(self):
        assign_by_value(
            self,
            "assurance_level_id",
            lambda t: (t.service_line_id.assurance_level_id or t.assurance_level_id).id,
        )

    @api.depends("sla_pause_ids.end_date", "sla_pause_ids.origin")
    def _compute_sla_paused(self):
        for ticket in self:
            running = ticket.sla_pause_ids.filtered(lambda p: not p.end_date)
            ticket.sla_paused = bool(running)
            ticket.sla_paused_by_hand = any(p.origin == "manual" for p in running)
            ticket.sla_pause_reason = ", ".join(running.reason_id.mapped("name"))

    def _search_sla_paused(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on SLA paused."))
        domain = [("sla_pause_ids", "any", [("end_date", "=", False)])]
        return domain if (operator == "=") == value else ["!", *domain]

    @api.depends("sla_deadline", "sla_state")
    def _compute_sla_due_soon(self):
        now = fields.Datetime.now()
        soon = now + timedelta(hours=1)
        for ticket in self:
            ticket.sla_due_soon = bool(
                ticket.sla_deadline and ticket.sla_deadline <= soon
            )
            # past its deadline is late, even before the sweep marks it
            overdue = ticket.sla_deadline and ticket.sla_deadline < now
            if overdue or ticket.sla_state in ("breached", "config_error"):
                ticket.sla_urgency = "late"
            elif ticket.sla_due_soon:
                ticket.sla_urgency = "soon"
            else:
                ticket.sla_urgency = "ok"

    def _search_sla_due_soon(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on SLA due soon."))
        soon = fields.Datetime.now() + timedelta(hours=1)
        domain = [("sla_deadline", "!=", False), ("sla_deadline", "<=", soon)]
        return domain if (operator == "=") == value else ["!", "&", *domain]

    @api.depends(
        "reported_date",
        "create_date",
        "restored_date",
        "sla_pause_ids.start_date",
        "sla_pause_ids.end_date",
        "sla_pause_ids.origin",
    )
    def _compute_restore_duration_hours(self):
        # not restored yet (every new ticket): nothing to measure
        restored = self.filtered("restored_date")
        (self - restored).restore_duration_hours = 0.0
        for ticket in restored:
            pauses = [
                (p.start_date, p.end_date)
                for p in ticket.sla_pause_ids
                if p.origin != "closed"
            ]
            ticket.restore_duration_hours = hours(
                duration_excluding(
                    ticket.reported_date or ticket.create_date,
                    ticket.restored_date,
                    pauses,
                )
            )

    # ------------------------------------------------------------------
    # constraints
    # ------------------------------------------------------------------
    @api.constrains("service_line_id", "company_id")
    def _check_service_line_company(self):
        for ticket in self:
            line = ticket.service_line_id
            if line and line.company_id != ticket.company_id:
                raise ValidationError(
                    self.env._(
                        "Service line %(line)s belongs to %(line_company)s, not to "
                        "the ticket's company %(company)s.",
                        line=line.display_name,
                        line_company=line.company_id.name,
                        company=ticket.company_id.name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.onchange("service_line_id")
    def _onchange_service_line_id(self):
        if self.service_line_id:
            self.update(self._customer_values(self.service_line_id.partner_id))

    @api.model
    def _customer_values(self, partner):
        """What helpdesk_mgmt's partner onchange fills, for the line's customer."""
        return {
            "partner_id": partner.id,
            "partner_name": partner.name,
            "partner_email": partner.email,
        }

    @api.model_create_multi
    def create(self, vals_list):
        lines = self.env["fs.service.line"].browse(
            [v["service_line_id"] for v in vals_list if v.get("service_line_id")]
        )
        customer_of_line = {line.id: line.partner_id for line in lines}
        for vals in vals_list:
            if vals.get("service_line_id") and not vals.get("partner_id"):
                vals.update(
                    self._customer_values(customer_of_line[vals["service_line_id"]])
                )
        tickets = super().create(vals_list)
        now = fields.Datetime.now()
        engine = self.env["fs.sla.engine"]
        engine._follow_stage(tickets, dict.fromkeys(tickets.ids, False), now)
        tickets._fs_before_first_sync()
        engine._sync(tickets, now, reselect=True)
        return tickets

    def _fs_before_first_sync(self):
        """Hook: new tickets, before their clocks are first computed (planned
        work pauses them here)."""
        return True

    def write(self, vals):
        # the engine's own writes skip the sync; a client's context cannot
        if self.env.context.get("fs_sla_no_sync") and self.env.su:
            return super().write(vals)
        if vals.get("service_line_id") and "partner_id" not in vals:
            line = self.env["fs.service.line"].browse(vals["service_line_id"])
            vals = {**self._customer_values(line.partner_id), **vals}
        was_closed = {t.id: t.closed for t in self} if "stage_id" in vals else None
        engine = self.env["fs.sla.engine"]
        before = (
            engine._snapshot(self.sudo()) if RECLASSIFY_FIELDS & set(vals) else None
        )
        result = super().write(vals)
        now = fields.Datetime.now()
        if was_closed is not None:
            engine._follow_stage(self, was_closed, now)
        if (RECLASSIFY_FIELDS | EVENT_FIELDS) & set(vals):
            engine._sync(self, now, before=before, reselect=before is not None)
        return result

    # ------------------------------------------------------------------
    # user actions
    # ------------------------------------------------------------------
    def _sla_stamp(self, field):
        now = fields.Datetime.now()
        self.filtered(lambda t: not t[field]).write({field: now})

    def action_sla_contacted(self):
        self._sla_stamp("first_contact_date")

    def action_sla_confirm_fault(self):
        self._sla_stamp("fault_confirmed_date")

    def action_sla_on_site(self):
        self._sla_stamp("on_site_date")

    def action_sla_restored(self):
        self._sla_stamp("restored_date")

    def action_sla_pause(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Pause SLA clocks"),
            "res_model": "fs.sla.pause.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"active_ids": self.ids, "active_model": self._name},
        }

    def action_sla_resume(self):
        self.env["fs.sla.engine"]._resume(self)
