from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..sla_core import fieldwork
from ..sla_core.fieldwork import FieldworkError

CAUSE_CATEGORIES = [
    ("transmission", "Transmission line"),
    ("our_equipment", "Our equipment"),
    ("customer_equipment", "Customer equipment"),
    ("customer_intranet", "Customer intranet"),
    ("aggregation", "Aggregation layer"),
    ("other", "Other"),
]
WORK_RESULTS = [
    ("restored", "Restored"),
    ("observation", "Needs observation"),
    ("not_repaired", "Not repaired"),
    ("other", "Other"),
]
CHECK_IN_VERDICTS = [
    (fieldwork.EARLY, "Early"),
    (fieldwork.ON_TIME, "On time (5-10 min early)"),
    (fieldwork.JUST_IN_TIME, "Just in time"),
    (fieldwork.LATE, "Late, customer told"),
    (fieldwork.LATE_UNANNOUNCED, "Late without notice"),
]
CONTACT_STATES = [
    (fieldwork.CONTACT_PENDING, "Running"),
    (fieldwork.CONTACT_MET, "Met"),
    (fieldwork.CONTACT_OVERDUE, "Overdue"),
    (fieldwork.CONTACT_LATE, "Contacted late"),
]
# what changes who works an order, or whom it matters to
TEAM_FIELDS = {"person_id", "person_ids", "ticket_id", "fs_wide_impact"}


class FsmOrder(models.Model):
    """The on-site timeline of a field order: dispatch and first contact,
    the appointment and its changes, arrival, the customer's absence, the work
    log, the observation after the restore and the checks before leaving. The
    rules are the core's (``sla_core.fieldwork``)."""

    _inherit = "fsm.order"

    # --- appointment -------------------------------------------------------
    fs_dispatch_date = fields.Datetime(
        "Dispatched",
        readonly=True,
        copy=False,
        help="When a worker was first assigned: the first-contact clock starts.",
    )
    fs_contact_date = fields.Datetime("Customer contacted", copy=False, tracking=True)
    fs_contact_deadline = fields.Datetime(
        "Contact deadline", compute="_compute_fs_contact_deadline", store=True
    )
    fs_contact_state = fields.Selection(
        CONTACT_STATES, string="First contact", compute="_compute_fs_contact_state"
    )
    fs_appointment_start = fields.Datetime(
        "Appointment from", copy=False, tracking=True
    )
    fs_appointment_end = fields.Datetime("Appointment until", copy=False, tracking=True)
    fs_priority_appointment = fields.Boolean(
        "Priority appointment",
        copy=False,
        tracking=True,
        help="A new appointment after the customer was absent: it goes first.",
    )
    fs_change_ids = fields.One2many(
        "fs.appointment.change", "order_id", string="Appointment changes"
    )
    fs_short_notice_count = fields.Integer(
        "Short-notice changes",
        compute="_compute_fs_short_notice_count",
        store=True,
        help="Company-caused changes with less than the required notice: they "
        "count against the team.",
    )
    # --- arrival -----------------------------------------------------------
    fs_arrival_date = fields.Datetime("Arrived", copy=False, tracking=True)
    fs_late_announced = fields.Boolean(
        "Customer told of the delay",
        copy=False,
        help="A late arrival the customer was told of in advance is not flagged.",
    )
    fs_check_in_verdict = fields.Selection(
        CHECK_IN_VERDICTS,
        string="Arrival",
        compute="_compute_fs_check_in_verdict",
        store=True,
    )
    fs_absent_allowed_from = fields.Datetime(
        "Customer absent from", compute="_compute_fs_absent_allowed_from"
    )
    fs_visit_note_ids = fields.One2many(
        "fs.visit.note", "order_id", string="Visit notes"
    )
    # --- crew --------------------------------------------------------------
    fs_customer_id = fields.Many2one(
        "res.partner",
        string="Customer",
        compute="_compute_fs_customer_id",
        store=True,
        index="btree_not_null",
    )
    fs_segment = fields.Selection(
        related="fs_customer_id.customer_segment", string="Segment"
    )
    fs_wide_impact = fields.Boolean(
        "Wide-impact fault",
        tracking=True,
        help="The account manager goes along or is told, as for important customers.",
    )
    fs_crew_size = fields.Integer("Crew", compute="_compute_fs_crew")
    fs_crew_warning = fields.Char("Crew warning", compute="_compute_fs_crew")
    fs_account_manager_told = fields.Boolean(
        "Account manager told", copy=False, readonly=True
    )
    # --- work log ----------------------------------------------------------
    fs_fault_found = fields.Text("Fault found")
    fs_cause_category = fields.Selection(CAUSE_CATEGORIES, string="Cause")
    fs_cause_other = fields.Char("Other cause")
    fs_work_result = fields.Selection(WORK_RESULTS, string="Result", tracking=True)
    fs_work_result_other = fields.Char("Other result")
    fs_corrective_measures = fields.Text("Corrective measures")
    fs_customer_opinion = fields.Text("Customer opinion")
    fs_restored_date = fields.Datetime("Restored", copy=False, readonly=True)
    fs_repeated_fault = fields.Boolean(
        "Repeated fault",
        copy=False,
        readonly=True,
        help="The same service line had another fault within the configured days "
        "before this one: the observation is longer.",
    )
    fs_observation_end = fields.Datetime("Observe until", copy=False, readonly=True)
    fs_observation_remaining = fields.Integer(
        "Observation left (min)", compute="_compute_fs_observation_remaining"
    )
    fs_replaced_equipment_ids = fields.One2many(
        "fs.replaced.equipment", "order_id", string="Equipment replaced"
    )
    # --- "three don't leave" -------------------------------------------------
    fs_check_tested = fields.Boolean("Tested good", copy=False)
    fs_check_fixed = fields.Boolean("Defects fixed", copy=False)
    fs_check_explained = fields.Boolean("Anomalies explained", copy=False)

    # ------------------------------------------------------------------
    # computes
    # ------------------------------------------------------------------
    @api.depends("fs_dispatch_date")
    def _compute_fs_contact_deadline(self):
        rules = self.env["fs.fieldwork.rules"]._rules()
        for order in self:
            order.fs_contact_deadline = fieldwork.contact_deadline(
                order.fs_dispatch_date, rules
            )

    @api.depends("fs_contact_deadline", "fs_contact_date")
    def _compute_fs_contact_state(self):
        rules = self.env["fs.fieldwork.rules"]._rules()
        now = fields.Datetime.now()
        for order in self:
            order.fs_contact_state = fieldwork.contact_state(
                order.fs_dispatch_date, order.fs_contact_date, now, rules
            )

    @api.depends("fs_change_ids.short_notice")
    def _compute_fs_short_notice_count(self):
        for order in self:
            order.fs_short_notice_count = len(
                order.fs_change_ids.filtered("short_notice")
            )

    @api.depends("fs_arrival_date", "fs_appointment_start", "fs_late_announced")
    def _compute_fs_check_in_verdict(self):
        rules = self.env["fs.fieldwork.rules"]._rules()
        for order in self:
            order.fs_check_in_verdict = order.fs_arrival_date and (
                fieldwork.check_in_verdict(
                    order.fs_arrival_date,
                    order.fs_appointment_start,
                    order.fs_late_announced,
                    rules,
                )
            )

    @api.depends("fs_arrival_date", "fs_appointment_start")
    def _compute_fs_absent_allowed_from(self):
        rules = self.env["fs.fieldwork.rules"]._rules()
        for order in self:
            order.fs_absent_allowed_from = fieldwork.absent_allowed_from(
                order.fs_arrival_date, order.fs_appointment_start, rules
            )

    @api.depends("ticket_id.partner_id", "location_id.owner_id")
    def _compute_fs_customer_id(self):
        for order in self:
            partner = order.ticket_id.partner_id or order.location_id.owner_id
            order.fs_customer_id = partner.commercial_partner_id

    @api.depends("person_id", "person_ids", "fs_segment")
    def _compute_fs_crew(self):
        rules = self.env["fs.fieldwork.rules"]._rules()
        for order in self:
            size = len(order.person_id | order.person_ids)
            order.fs_crew_size = size
            problem = order.fs_segment and fieldwork.crew_problem(
                order.fs_segment, size, rules
            )
            if not problem:
                order.fs_crew_warning = False
                continue
            low, high = problem
            segment = dict(self._fields["fs_segment"]._description_selection(self.env))[
                order.fs_segment
            ]
            order.fs_crew_warning = (
                self.env._(
                    "%(segment)s customers need a crew of %(low)s to %(high)s "
                    "(now %(size)s).",
                    segment=segment,
                    low=low,
                    high=high,
                    size=size,
                )
                if low != high
                else self.env._(
                    "%(segment)s customers need a crew of %(low)s (now %(size)s).",
                    segment=segment,
                    low=low,
                    size=size,
                )
            )

    @api.depends("fs_observation_end")
    def _compute_fs_observation_remaining(self):
        now = fields.Datetime.now()
        for order in self:
            order.fs_observation_remaining = fieldwork.remaining_minutes(
                order.fs_observation_end, now
            )

    # ------------------------------------------------------------------
    # constraints
    # ------------------------------------------------------------------
    @api.constrains("scheduled_date_start")
    def check_day(self):
        """OCA's rule (no order on a holiday: a leave lying within the order's
        scheduled time), with one search for the whole batch instead of one
        per order: generated inspection orders come by thousands."""
        dated = self.filtered("scheduled_date_start")
        if not dated:
            return
        ends = [d for d in dated.mapped("scheduled_date_end") if d]
        domain = [("date_from", ">=", min(dated.mapped("scheduled_date_start")))]
        if ends and len(ends) == len(dated):
            domain.append(("date_to", "<=", max(ends)))
        leaves = self.env["resource.calendar.leaves"].search(domain)
        for rec in dated:
            holidays = leaves.filtered(
                lambda h, r=rec: (
                    h.date_from >= r.scheduled_date_start
                    and r.scheduled_date_end
                    and h.date_to <= r.scheduled_date_end
                )
            )
            if holidays:
                msg = (
                    f"{rec.scheduled_date_start.date()} is a holiday {holidays[0].name}"
                )
                raise ValidationError(self.env._(msg))

    @api.constrains("fs_appointment_start", "fs_appointment_end")
    def _check_fs_appointment_window(self):
        for order in self:
            try:
                fieldwork.check_window(
                    order.fs_appointment_start, order.fs_appointment_end
                )
            except FieldworkError as error:
                raise ValidationError(
                    self.env._(
                        "Order %(order)s: the appointment window ends "
                        "(%(end)s) before it starts (%(start)s).",
                        order=order.name,
                        end=self._fs_fmt(order.fs_appointment_end),
                        start=self._fs_fmt(order.fs_appointment_start),
                    )
                ) from error

    @api.constrains("fs_arrival_date", "fs_dispatch_date")
    def _check_fs_arrival(self):
        now = fields.Datetime.now() + timedelta(minutes=1)
        for order in self.filtered("fs_arrival_date"):
            try:
                fieldwork.check_check_in(
                    order.fs_arrival_date, order.fs_dispatch_date, now
                )
            except FieldworkError as error:
                message = (
                    self.env._(
                        "Order %(order)s: a check-in cannot be in the future "
                        "(%(arrival)s).",
                        order=order.name,
                        arrival=self._fs_fmt(order.fs_arrival_date),
                    )
                    if str(error) == "check_in_in_future"
                    else self.env._(
                        "Order %(order)s: a check-in (%(arrival)s) cannot be before "
                        "the order was dispatched (%(dispatch)s).",
                        order=order.name,
                        arrival=self._fs_fmt(order.fs_arrival_date),
                        dispatch=self._fs_fmt(order.fs_dispatch_date),
                    )
                )
                raise ValidationError(message) from error

    @api.constrains("fs_cause_category", "fs_cause_other")
    def _check_fs_other_texts(self):
        for order in self:
            if order.fs_cause_category == "other" and not order.fs_cause_other:
                raise ValidationError(
                    self.env._("Order %s: describe the other cause.", order.name)
                )
            if order.fs_work_result == "other" and not order.fs_work_result_other:
                raise ValidationError(
                    self.env._("Order %s: describe the other result.", order.name)
                )

    @api.model
    def _fs_fmt(self, value):
        return self.env["fs.sla.engine"]._fmt(value)

    # ------------------------------------------------------------------
    # hooks
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        now = fields.Datetime.now()
        for vals in vals_list:
            if (vals.get("person_id") or vals.get("person_ids")) and not vals.get(
                "fs_dispatch_date"
            ):
                vals["fs_dispatch_date"] = now
        # stored computed fields a batch caller gave with the values they
        # compute to (fs.inspection.plan): not computed again, not even by
        # the hooks below
        keep = self.env.context.get("fs_keep_computed") or ()
        orders = super(
            FsmOrder, self.with_context(fs_keep_computed=()) if keep else self
        ).create(vals_list)
        for name in keep:
            self.env.remove_to_compute(self._fields[name], orders)
        orders.filtered(lambda o: o.fs_work_result == "restored")._fs_restored(now)
        orders._fs_tell_account_manager()
        return orders

    def write(self, vals):
        if "fs_work_result" in vals:
            self._fs_check_result_change(vals["fs_work_result"])
        result = super().write(vals)
        if vals.keys() & {"person_id", "person_ids"}:
            undispatched = self.filtered(
                lambda o: not o.fs_dispatch_date and (o.person_id or o.person_ids)
            )
            if undispatched:
                undispatched.write({"fs_dispatch_date": fields.Datetime.now()})
        if vals.get("fs_work_result") == "restored":
            self._fs_restored(fields.Datetime.now())
        if vals.keys() & TEAM_FIELDS:
            self._fs_tell_account_manager()
        return result

    def _fs_check_result_change(self, result):
        """A restore, once recorded, stays: it set the ticket's restore time
        and started the observation."""
        if result != "restored" and self.filtered("fs_restored_date"):
            raise UserError(
                self.env._(
                    "The service was recorded as restored: the result stays "
                    "Restored (a new fault is a new ticket)."
                )
            )

    def _fs_restored(self, when):
        """Stamp the restore, decide the observation time (longer for a
        repeated fault) and reach the linked tickets' restore milestone."""
        orders = self.filtered(lambda o: not o.fs_restored_date)
        if not orders:
            return
        rules = self.env["fs.fieldwork.rules"]._rules()
        repeated = self._fs_repeated_faults(orders, rules)
        for order in orders:
            super(FsmOrder, order).write(
                {
                    "fs_restored_date": when,
                    "fs_repeated_fault": repeated[order.id],
                    "fs_observation_end": fieldwork.observation_end(
                        when, order.fs_segment, repeated[order.id], rules
                    ),
                }
            )
        tickets = orders.ticket_id.sudo().filtered(lambda t: not t.restored_date)
        if tickets:
            tickets.write({"restored_date": when})

    @api.model
    def _fs_repeated_faults(self, orders, rules):
        """Per order: is its ticket a repeated fault? The ticket's stored
        flag (helpdesk_ticket_fault), the one rule of the rates and filters:
        the same line had another fault within the tier's repeat window."""
        return {
            order.id: bool(order.ticket_id.sudo().fs_repeated_fault) for order in orders
        }

    def _fs_tell_account_manager(self):
        """Important customers and wide-impact faults: the account manager
        follows the order and gets an activity, once."""
        todo = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        for order in self.sudo().filtered(lambda o: not o.fs_account_manager_told):
            customer = order.fs_customer_id
            manager = customer.account_manager_id
            if not manager or not (
                customer.is_important_customer or order.fs_wide_impact
            ):
                continue
            order.message_subscribe(partner_ids=manager.partner_id.ids)
            # in the account manager's language, whoever (or whichever cron)
            # made the order
            env = self.with_context(
                lang=manager.lang or order.company_id.partner_id.lang or "en_US"
            ).env
            order.activity_schedule(
                activity_type_id=todo.id if todo else False,
                user_id=manager.id,
                summary=env._("Field order for %s", customer.display_name),
                note=env._(
                    "Important customer or wide-impact fault: join the crew or "
                    "follow up with the customer."
                ),
            )
            order.fs_account_manager_told = True

    def _fs_end_appointment_pauses(self, when):
        """The customer's wait is over at arrival: end the appointment pauses
        the reschedules opened on the linked tickets."""
        reason = self.env.ref("field_service_sla.pause_reason_appointment")
        tickets = self.ticket_id.sudo()
        pauses = tickets.sla_pause_ids.filtered(
            lambda p: not p.end_date and p.reason_id == reason
        )
        if pauses:
            pauses.write({"end_date": max(when, max(pauses.mapped("start_date")))})
            tickets = pauses.ticket_id
            self.env["fs.sla.engine"]._sync(tickets, fields.Datetime.now())
            body = self.env._(
                "SLA clocks resumed: the crew arrived on site for the agreed "
                "appointment."
            )
            tickets._message_log_batch(bodies=dict.fromkeys(tickets.ids, body))

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------
    def action_fs_contacted(self):
        self.filtered(lambda o: not o.fs_contact_date).write(
            {"fs_contact_date": fields.Datetime.now()}
        )

    def action_fs_check_in(self):
        now = fields.Datetime.now()
        orders = self.filtered(lambda o: not o.fs_arrival_date)
        orders.write({"fs_arrival_date": now})
        orders._fs_end_appointment_pauses(now)
        tickets = orders.ticket_id.sudo().filtered(lambda t: not t.on_site_date)
        if tickets:
            tickets.write({"on_site_date": now})

    def action_fs_reschedule(self):
        self.ensure_one()
        return self._fs_dialog(
            "fs.appointment.change",
            self.env._("Change the appointment"),
            {
                "default_order_id": self.id,
                "default_new_start": self.fs_appointment_start,
                "default_new_end": self.fs_appointment_end,
            },
        )

    def action_fs_customer_absent(self):
        self.ensure_one()
        return self._fs_dialog(
            "fs.visit.note",
            self.env._("Customer absent"),
            {"default_order_id": self.id},
        )

    def _fs_dialog(self, model, name, context):
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": context,
        }

    def action_complete(self):
        self._fs_check_completion()
        return super().action_complete()

    def _fs_check_completion(self):
        now = fields.Datetime.now()
        for order in self:
            problems = fieldwork.completion_problems(
                order.fs_restored_date,
                order.fs_observation_end,
                [
                    order.fs_check_tested,
                    order.fs_check_fixed,
                    order.fs_check_explained,
                ],
                now,
                on_site=bool(
                    order.fs_arrival_date
                    or order.fs_work_result
                    or order.fs_restored_date
                ),
            )
            if "observing" in problems:
                raise UserError(
                    self.env._(
                        "Order %(order)s is under observation after the restore "
                        "until %(end)s (%(minutes)s min left): it cannot be "
                        "completed before.",
                        order=order.name,
                        end=self._fs_fmt(order.fs_observation_end),
                        minutes=fieldwork.remaining_minutes(
                            order.fs_observation_end, now
                        ),
                    )
                )
            if "checks" in problems:
                raise UserError(
                    self.env._(
                        "Order %s: tick the three checks before leaving (tested "
                        "good, defects fixed, anomalies explained).",
                        order.name,
                    )
                )
