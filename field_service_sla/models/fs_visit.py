from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..sla_core import (
    CADENCE,
    DEFAULT_RATE_WINDOW_DAYS,
    FAULT_RATE,
    RATE_VISIT_GAP_DAYS,
    RATE_VISIT_SOON_DAYS,
    REPEAT_RATE,
    plan_visits,
)

VISIT_REASONS = [
    (CADENCE, "Periodic (tier cadence)"),
    (FAULT_RATE, "Fault rate above threshold"),
    (REPEAT_RATE, "Repeat-fault rate above threshold"),
    ("manual", "Planned by hand"),
]
VISIT_STATES = [("planned", "Planned"), ("done", "Done"), ("cancelled", "Cancelled")]
# the planning horizon of the daily run: a month ahead
PLAN_HORIZON_DAYS = 30

# customers whose tier asks for visits by cadence or by rate: commercial
# entities only (the tier is copied onto their contacts)
PLANNED_CUSTOMERS_SQL = """
SELECT p.id, t.visit_interval_days, p.network_manager_id, p.company_id
  FROM res_partner p
  JOIN fs_customer_tier t ON t.id = p.customer_tier_id
 WHERE p.active AND t.active AND p.id = p.commercial_partner_id
   AND (t.visit_interval_days > 0 OR t.fault_rate_threshold > 0
        OR t.repeat_rate_threshold > 0)
"""
# what the plan needs of the visits a customer has: the latest, those near
# today (they cover a rate-triggered visit) and whether one is overdue
VISIT_DATES_SQL = """
SELECT partner_id, max(planned_date),
       array_agg(planned_date) FILTER (
           WHERE planned_date BETWEEN %(since)s AND %(until)s),
       bool_or(state = 'planned' AND planned_date < %(today)s)
  FROM fs_visit
 WHERE state != 'cancelled' AND partner_id = ANY(%(ids)s)
 GROUP BY partner_id
"""


class FsVisit(models.Model):
    _name = "fs.visit"
    _description = "Customer Visit"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "planned_date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain="[('is_company', '=', True)]",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company
    )
    customer_tier_id = fields.Many2one(
        related="partner_id.customer_tier_id", store=True, string="Customer tier"
    )
    account_manager_id = fields.Many2one(
        related="partner_id.account_manager_id", string="Account manager"
    )
    user_id = fields.Many2one(
        "res.users",
        string="Maintainer",
        index=True,
        tracking=True,
        domain=[("share", "=", False)],
        help="The maintainer who knows the customer's network and goes.",
    )
    planned_date = fields.Date(required=True, index=True, tracking=True)
    reason = fields.Selection(
        VISIT_REASONS, required=True, default="manual", readonly=True
    )
    state = fields.Selection(
        VISIT_STATES, required=True, default="planned", tracking=True, index=True
    )
    done_date = fields.Datetime(string="Visited on", readonly=True, copy=False)
    fsm_order_id = fields.Many2one(
        "fsm.order", string="Field order", check_company=True, copy=False
    )
    # the preparation pack
    service_line_ids = fields.One2many(
        related="partner_id.service_line_ids", string="Service lines"
    )
    recent_ticket_ids = fields.Many2many(
        "helpdesk.ticket",
        string="Recent tickets",
        compute="_compute_recent_ticket_ids",
    )
    fault_rate = fields.Float(
        related="partner_id.fs_fault_rate", string="Fault rate"
    )
    repeat_rate = fields.Float(
        related="partner_id.fs_repeat_rate", string="Repeat-fault rate"
    )
    fault_count = fields.Integer(
        related="partner_id.fs_fault_count", string="Faults (window)"
    )
    repeat_count = fields.Integer(
        related="partner_id.fs_repeat_count", string="Repeated faults (window)"
    )
    rate_window_days = fields.Integer(
        related="partner_id.fs_rate_window_days", string="Over the last (days)"
    )
    rate_alert = fields.Boolean(
        related="partner_id.fs_rate_alert", string="Rates above threshold"
    )
    # the outcome
    quality_told = fields.Boolean(
        string="Service quality told to the customer", tracking=True
    )
    quality_note = fields.Text(string="Recent service quality")
    rates_confirmed = fields.Boolean(
        string="Fault and repeat rates confirmed with the customer", tracking=True
    )
    confirmed_fault_rate = fields.Float(
        string="Fault rate at the visit", digits=(16, 2), readonly=True, copy=False
    )
    confirmed_repeat_rate = fields.Float(
        string="Repeat-fault rate at the visit", readonly=True, copy=False
    )
    new_needs = fields.Text(string="New needs")
    follow_up_ticket_ids = fields.One2many(
        "helpdesk.ticket", "fs_visit_id", string="Follow-up tickets"
    )

    @api.constrains("partner_id", "planned_date", "state")
    def _check_one_visit_a_day(self):
        """The unique key of a visit: customer and day (cancelled visits
        aside). One query for any batch, the planning run's 10,000 visits
        included; the daily cron never runs twice at once."""
        live = self.filtered(lambda v: v.state != "cancelled")
        if not live:
            return
        clashes = self._read_group(
            [
                ("partner_id", "in", live.partner_id.ids),
                ("planned_date", "in", list(set(live.mapped("planned_date")))),
                ("state", "!=", "cancelled"),
            ],
            ["partner_id", "planned_date:day"],
            ["__count"],
            having=[("__count", ">", 1)],
        )
        if clashes:
            partner, day, _count = clashes[0]
            raise ValidationError(
                self.env._(
                    "%(customer)s already has a visit on %(date)s.",
                    customer=partner.display_name,
                    date=day,
                )
            )

    @api.depends("partner_id", "planned_date")
    def _compute_display_name(self):
        for visit in self:
            visit.display_name = self.env._(
                "Visit to %(customer)s on %(date)s",
                customer=visit.partner_id.name or "",
                date=visit.planned_date or "",
            )

    @api.depends("partner_id")
    def _compute_recent_ticket_ids(self):
        """The customer's tickets of the rate window, for all visits at once."""
        partners = self.partner_id
        windows = {p.id: p.fs_rate_window_days for p in partners}
        since = fields.Datetime.now() - timedelta(
            days=max(windows.values(), default=DEFAULT_RATE_WINDOW_DAYS)
        )
        tickets = self.env["helpdesk.ticket"].search(
            [
                ("reported_date", ">=", since),
                "|",
                ("commercial_partner_id", "in", partners.ids),
                ("service_line_id.partner_id", "in", partners.ids),
            ],
            order="reported_date desc",
        )
        now = fields.Datetime.now()
        for visit in self:
            start = now - timedelta(
                days=windows.get(visit.partner_id.id, DEFAULT_RATE_WINDOW_DAYS)
            )
            visit.recent_ticket_ids = tickets.filtered(
                lambda t, p=visit.partner_id: (
                    t.reported_date >= start
                    and p in (t.commercial_partner_id | t.service_line_id.partner_id)
                )
            )

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.partner_id.network_manager_id and not self.user_id:
            self.user_id = self.partner_id.network_manager_id

    def action_done(self):
        for visit in self:
            if visit.state != "planned":
                raise UserError(
                    self.env._("Only a planned visit can be marked done.")
                )
            if not visit.quality_told:
                raise UserError(
                    self.env._(
                        "Tell the customer the recent service quality of their "
                        "lines and tick it before closing the visit to %(customer)s.",
                        customer=visit.partner_id.name,
                    )
                )
            if visit.rate_alert and not visit.rates_confirmed:
                raise UserError(
                    self.env._(
                        "The fault rate or repeat-fault rate of %(customer)s is "
                        "up: confirm it with the customer before closing the "
                        "visit.",
                        customer=visit.partner_id.name,
                    )
                )
        for visit in self:
            visit.write(
                {
                    "state": "done",
                    "done_date": fields.Datetime.now(),
                    "confirmed_fault_rate": visit.fault_rate,
                    "confirmed_repeat_rate": visit.repeat_rate,
                }
            )

    def action_cancel(self):
        if self.filtered(lambda v: v.state == "done"):
            raise UserError(self.env._("A visit that took place cannot be cancelled."))
        self.write({"state": "cancelled"})

    def action_create_follow_up_ticket(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_fs_visit_id": self.id,
                "default_partner_id": self.partner_id.id,
                "default_name": self.env._("Follow-up of the visit of %(date)s",
                                           date=self.planned_date),
            },
        }

    def action_create_fsm_order(self):
        """A field order for the visit, at the location of the customer's
        service lines."""
        self.ensure_one()
        if self.fsm_order_id:
            raise UserError(self.env._("This visit already has a field order."))
        location = self.partner_id.service_line_ids.location_id[:1]
        if not location:
            raise UserError(
                self.env._(
                    "None of the service lines of %(customer)s has a location: "
                    "give one a location before creating a field order.",
                    customer=self.partner_id.name,
                )
            )
        self.fsm_order_id = self.env["fsm.order"].create(
            {
                "location_id": location.id,
                "description": self.display_name,
                "scheduled_date_start": fields.Datetime.to_datetime(
                    self.planned_date
                ),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "fsm.order",
            "res_id": self.fsm_order_id.id,
            "view_mode": "form",
        }

    @api.model
    def _plan_visits(self, today=None, horizon_days=PLAN_HORIZON_DAYS, now=None):
        """Create the visits due by cadence or by rate up to ``horizon_days``
        ahead, for every customer at once, in a fixed number of queries.
        Running it again creates nothing twice (sla_core.visits.plan_visits),
        and a visit is unique per customer and day (``_check_one_visit_a_day``)."""
        if horizon_days < 0:
            raise UserError(self.env._("The planning horizon cannot be negative."))
        today = today or fields.Date.context_today(self)
        end = today + timedelta(days=horizon_days)
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(PLANNED_CUSTOMERS_SQL)
        customers = cr.fetchall()
        ids = [row[0] for row in customers]
        cr.execute(
            VISIT_DATES_SQL,
            {
                "ids": ids,
                "today": today,
                "since": today - timedelta(days=RATE_VISIT_GAP_DAYS),
                "until": today + timedelta(days=RATE_VISIT_SOON_DAYS),
            },
        )
        visits = {pid: (last, near or [], overdue) for pid, last, near, overdue in cr.fetchall()}
        figures = self.env["res.partner"]._fs_fault_figures_for(ids, now)
        default_company = self.env.company.id
        vals_list = []
        for pid, interval, manager_id, company_id in customers:
            last, near, overdue = visits.get(pid, (None, [], False))
            dates = [*near, last] if last else list(near)
            reason = figures.get(pid, (None, None, None))[2]
            for day, why in plan_visits(
                dates, interval, today, end, reason, overdue_open=bool(overdue)
            ):
                vals_list.append(
                    {
                        "partner_id": pid,
                        "planned_date": day,
                        "reason": why,
                        "user_id": manager_id,
                        "company_id": company_id or default_company,
                    }
                )
        return self.with_context(
            tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True
        ).create(vals_list)

    @api.model
    def _cron_plan_visits(self):
        self._plan_visits()
