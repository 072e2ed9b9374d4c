import logging
from datetime import timedelta

import pytz
from markupsafe import Markup

from odoo import api, fields, models

from ..sla_core.planned_work import inspection_date

_logger = logging.getLogger(__name__)

#: what the daily status lists of one period at most (the rest is counted)
STATUS_TICKETS = 200


class FsInspection(models.Model):
    _inherit = "fs.inspection"

    assurance_period_id = fields.Many2one(
        "fs.assurance.period",
        string="Assurance period",
        index="btree_not_null",
        readonly=True,
        copy=False,
        help="The special assurance period this inspection prepares.",
    )


class FsAssurancePeriod(models.Model):
    """What a declared period sets going: the inspection of its lines'
    locations the day before it starts (the inspection plans' own order
    values and copy of the template's checklist), and a daily status e-mail
    to the customer's account manager while it runs."""

    _inherit = "fs.assurance.period"

    inspection_ids = fields.One2many(
        "fs.inspection", "assurance_period_id", string="Inspections", readonly=True
    )
    inspection_count = fields.Integer(
        string="Number of inspections", compute="_compute_inspection_count"
    )

    @api.depends("inspection_ids")
    def _compute_inspection_count(self):
        for period in self:
            period.inspection_count = len(period.inspection_ids)

    def action_view_inspections(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Inspections"),
            "res_model": "fs.inspection",
            "view_mode": "list,form",
            "domain": [("assurance_period_id", "=", self.id)],
            "context": {"create": False},
        }

    # ------------------------------------------------------------------
    # the pre-period inspection
    # ------------------------------------------------------------------
    def _fs_after_declare(self):
        super()._fs_after_declare()
        for period in self:
            period._plan_inspection()
        return True

    def _local_day(self, moment):
        tz = pytz.timezone(self.company_id._fs_operator_tz())
        return pytz.utc.localize(moment).astimezone(tz).replace(tzinfo=None)

    def _inspection_template(self, lines):
        """The active inspection template of the customer's segment that fits
        the lines' service types best (one naming a type of theirs, else one
        for any type of the segment)."""
        templates = self.env["fs.inspection.template"].search(
            [("segment", "=", self.partner_id.customer_segment or "enterprise")]
        )
        types = set(lines.service_type_id.ids)
        fitting = templates.filtered(lambda t: set(t.service_type_ids.ids) & types)
        return fitting[:1] or templates.filtered(lambda t: not t.service_type_ids)[:1]

    def _plan_inspection(self):
        """One inspection order per location of the period's lines, planned
        for the day before the start (core inspection_date, in the operator's
        day); lines without a location are skipped and named in the
        chatter. Declaring again (after a cancel) plans nothing twice."""
        self.ensure_one()
        lines = self._lines()
        located = lines.filtered("location_id")
        skipped = lines - located
        template = self._inspection_template(lines)
        day = inspection_date(self._local_day(self.date_start))
        done = set(self.inspection_ids.location_id.ids)
        first_line = {}
        for line in located:
            if line.location_id.id not in done:
                first_line.setdefault(line.location_id.id, line)
        created = self.env["fs.inspection"]
        if template and first_line:
            created = self._create_inspections(template, day, first_line)
        _ = self.env._
        parts = []
        if created:
            parts.append(
                _(
                    "Inspection before the period planned for %(day)s at "
                    "%(count)s locations: %(names)s",
                    day=day,
                    count=len(created),
                    names=", ".join(created.location_id.mapped("display_name")),
                )
            )
        elif first_line and not template:
            parts.append(
                _(
                    "No inspection planned: no inspection template for the "
                    "customer's segment."
                )
            )
        if skipped:
            parts.append(
                _(
                    "Lines without a location, not inspected: %s",
                    ", ".join(skipped.mapped("circuit_ref")),
                )
            )
        if parts:
            self.message_post(
                body=Markup("<br/>").join(parts), subtype_xmlid="mail.mt_note"
            )
        return created

    def _create_inspections(self, template, day, first_line):
        """The orders and inspections, as an inspection plan makes them (its
        _order_values on a plan of this company and template, its usual
        technicians); created as the system: declaring is the account
        manager's, planning field work is not."""
        Plan = self.env["fs.inspection.plan"].sudo()
        plan = Plan.new({"company_id": self.company_id.id, "template_id": template.id})
        description = self.env._(
            "Inspection before %(event)s: %(template)s",
            event=self.name,
            template=template.name,
        )
        technicians = Plan._usual_technicians(first_line)
        Order = self.env["fsm.order"].sudo().with_company(self.company_id)
        stage = Order._default_stage_id()
        orders = []
        for location in first_line:
            values = plan._order_values(location, day, description)
            if stage:
                values["stage_id"] = stage.id
            orders.append(values)
        orders = Order.with_context(mail_create_nolog=True).create(orders)
        return (
            self.env["fs.inspection"]
            .sudo()
            .create(
                [
                    {
                        "assurance_period_id": self.id,
                        "template_id": template.id,
                        "location_id": location,
                        "service_line_id": line.id,
                        "planned_date": day,
                        "company_id": self.company_id.id,
                        "user_id": technicians.get(location, False),
                        "fsm_order_id": order.id,
                    }
                    for (location, line), order in zip(
                        first_line.items(), orders, strict=True
                    )
                ]
            )
            .with_env(self.env)
        )

    # ------------------------------------------------------------------
    # the daily status
    # ------------------------------------------------------------------
    @api.model
    def _cron_daily_status(self, now=None):
        """Each declared period running now (or ended since the last run)
        tells its account manager the day's tickets on its lines and their
        state: one e-mail per period, all queued at once. A period failing
        is logged and the others go on. Periods over are then done."""
        now = now or fields.Datetime.now()
        since = now - timedelta(days=1)
        periods = self.sudo().search(
            [
                ("state", "=", "declared"),
                ("date_start", "<=", now),
                ("date_end", ">", since),
            ],
            order="date_start, id",
        )
        mails, over = [], self.browse()
        for period in periods:
            try:
                with self.env.cr.savepoint():
                    mail = period._daily_status_mail(since, now)
                    if mail:
                        mails.append(mail)
                    if period.date_end <= now:
                        over |= period
            except Exception:
                _logger.exception(
                    "Assurance period %s: the daily status failed", period.id
                )
        self.env["mail.mail"].sudo().create(mails)
        over.sudo()._move("done", ("declared",))
        return len(mails)

    def _daily_status_mail(self, since, now):
        """The values of the status e-mail of this period for [since, now):
        its tickets reported then, and those still open since it began."""
        self.ensure_one()
        manager = self.account_manager_id
        if not manager.partner_id.email:
            _logger.info(
                "Assurance period %s: its account manager has no e-mail", self.id
            )
            return None
        domain = [
            ("service_line_id", "in", self._lines().ids),
            ("reported_date", ">=", self.date_start),
            ("reported_date", "<", min(now, self.date_end)),
            "|",
            ("reported_date", ">=", since),
            ("stage_id.closed", "=", False),
        ]
        tickets = (
            self.env["helpdesk.ticket"]
            .sudo()
            .search(
                domain, order="reported_date desc, id desc", limit=STATUS_TICKETS + 1
            )
        )
        lang = manager.lang or self.env.lang
        local = self.with_context(lang=lang, tz=self.company_id._fs_operator_tz())
        start_of_day = self._local_day(now).date()
        body = (
            self.env["ir.qweb"]
            .with_context(lang=lang)
            ._render(
                "field_service_sla.assurance_daily_status",
                {
                    "period": local,
                    "day": start_of_day,
                    "tickets": tickets[:STATUS_TICKETS],
                    "more": len(tickets) > STATUS_TICKETS,
                    "sla_states": dict(
                        tickets._fields["sla_state"]._description_selection(local.env)
                    ),
                    "when": lambda moment: (
                        fields.Datetime.context_timestamp(local, moment).strftime(
                            "%m-%d %H:%M"
                        )
                        if moment
                        else ""
                    ),
                },
            )
        )
        return {
            "subject": local.env._(
                "Assurance status %(day)s: %(event)s (%(customer)s)",
                day=start_of_day,
                event=self.name,
                customer=self.partner_id.display_name,
            ),
            "body_html": body,
            "recipient_ids": [fields.Command.set(manager.partner_id.ids)],
            "model": self._name,
            "res_id": self.id,
            "auto_delete": False,
            "email_from": self.company_id.email_formatted
            or self.env.user.email_formatted,
        }
