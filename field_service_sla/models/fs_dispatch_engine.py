from markupsafe import Markup

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

from ..sla_core import dispatch as core
from ..sla_core import fieldwork

# what a run of the system leaves out of the chatter: the dispatch posts one
# line per order itself
QUIET = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
}
# tickets dispatched per run of the job (the job runs again at once when
# there are more)
BATCH = 5000


class FsDispatchEngine(models.AbstractModel):
    """Automatic dispatch (自动派单), set-based: a new fault ticket that
    needs field work (helpdesk_ticket_fs_dispatch) is marked and the job is
    triggered once per batch of tickets; the job makes the tickets' field
    orders and gives each to the crew covering its area (the line's, else
    the customer's, else the site's) and, within it, to the active worker
    with the needed skill and the fewest open orders
    (``sla_core.dispatch``). What it cannot dispatch goes to the
    dispatcher's queue with the reason. A run reads the areas, workers,
    skills and loads once and writes grouped: its queries do not grow with
    the number of orders."""

    _name = "fs.dispatch.engine"
    _description = "Automatic dispatch"

    @api.model
    def _trigger(self):
        cron = self.env.ref(
            "field_service_sla.ir_cron_fs_dispatch", raise_if_not_found=False
        )
        if cron:
            cron.sudo()._trigger()

    @api.model
    def _cron_dispatch(self):
        """The job: the marked tickets, then the orders made by hand
        without a worker. Runs as superuser (the job's user) or is called
        as such by the tests."""
        self = self.sudo()
        tickets = self.env["helpdesk.ticket"].search(
            [("fs_dispatch_pending", "=", True)], order="id", limit=BATCH
        )
        self._dispatch_tickets(tickets)
        orders = self.env["fsm.order"].search(
            [("fs_dispatch_pending", "=", True)], order="id", limit=BATCH
        )
        self._dispatch_orders(orders)
        if len(tickets) == BATCH or len(orders) == BATCH:
            self._trigger()

    # ------------------------------------------------------------------
    # tickets
    # ------------------------------------------------------------------
    @api.model
    def _dispatch_tickets(self, tickets):
        """Make and dispatch the field orders of ``tickets`` (marked as
        awaiting dispatch). A ticket closed, restored or with an order by
        then needs none; a ticket without a site gets none and keeps the
        reason."""
        tickets = tickets.sudo().filtered("fs_dispatch_pending")
        if not tickets:
            return self.env["fsm.order"]
        self.env.cr.execute(
            SQL(
                "UPDATE helpdesk_ticket SET fs_dispatch_pending = FALSE "
                "WHERE id = ANY(%s)",
                tickets.ids,
            )
        )
        tickets.invalidate_recordset(["fs_dispatch_pending"])
        with_orders = {
            ticket
            for (ticket,) in self.env["fsm.order"]
            .with_context(active_test=False)
            ._read_group([("ticket_id", "in", tickets.ids)], ["ticket_id"])
        }
        todo = tickets.filtered(
            lambda t: t not in with_orders
            and not t.stage_id.closed
            and not t.restored_date
        )
        located = todo.filtered(lambda t: self._site_of(t))
        unlocated = todo - located
        if unlocated:
            self.env.cr.execute(
                SQL(
                    "UPDATE helpdesk_ticket SET fs_dispatch_reason = %s "
                    "WHERE id = ANY(%s)",
                    core.NO_LOCATION,
                    unlocated.ids,
                )
            )
            unlocated.invalidate_recordset(["fs_dispatch_reason"])
            body = self.env._(
                "No field order was made: the ticket has no site (neither its "
                "line nor its customer names a location). A dispatcher makes "
                "the order by hand."
            )
            unlocated._message_log_batch(bodies=dict.fromkeys(unlocated.ids, body))
        if not located:
            return self.env["fsm.order"]
        requests = [
            core.Request(
                key=ticket.id,
                area_id=self._area_of(
                    ticket.service_line_id,
                    ticket.partner_id.commercial_partner_id,
                    self._site_of(ticket),
                ),
                skill_id=ticket.service_line_id.service_type_id.fs_skill_id.id
                or None,
            )
            for ticket in located
        ]
        decisions = self._decide(requests)
        values = []
        for ticket in located:
            decision = decisions[ticket.id]
            site = self._site_of(ticket)
            vals = {
                "ticket_id": ticket.id,
                "location_id": site.id,
                "company_id": ticket.company_id.id or self.env.company.id,
                "priority": ticket.priority or "0",
                "description": ticket.description or False,
                "fs_area_id": decision.area_id or False,
                **self._decision_values(decision, "auto"),
            }
            if decision.team_id:
                vals["team_id"] = decision.team_id
            values.append(vals)
        orders = self._create_orders(values)
        self._log(orders, decisions, key=lambda o: o.ticket_id.id)
        return orders

    @api.model
    def _site_of(self, ticket):
        return ticket.fsm_location_id or ticket.service_line_id.location_id

    @api.model
    def _area_of(self, line, customer, site):
        """The area that applies: the line's, else the customer's, else the
        site's territory (ids, or None)."""
        return (
            line.fs_area_id.id
            or customer.fs_area_id.id
            or site.territory_id.id
            or None
        )

    @api.model
    def _create_orders(self, values):
        """Create the orders in one batch, numbered and completed as the
        inspection plans' are (one sequence query, precomputed fields)."""
        Plan = self.env["fs.inspection.plan"]
        names = Plan._order_names([v["company_id"] for v in values])
        stages = {}  # fieldservice's default stage, once per company
        for vals, name in zip(values, names, strict=True):
            if name:
                vals["name"] = name
            company = vals["company_id"]
            if company not in stages:
                stages[company] = (
                    self.env["fsm.order"].with_company(company)._default_stage_id().id
                )
            vals["stage_id"] = stages[company]
        keep = Plan._order_precomputed_values(values)
        # dispatched now: the first-contact deadline runs from here, given
        # with the values (as the order's compute would make it) rather than
        # written back by an UPDATE per hundred orders
        now = fields.Datetime.now()
        rules = self.env["fs.fieldwork.rules"]._rules()
        deadline = fieldwork.contact_deadline(now, rules)
        for vals in values:
            if vals.get("person_id"):
                vals.update(fs_dispatch_date=now, fs_contact_deadline=deadline)
            else:
                vals.update(fs_contact_deadline=False)
            vals["fs_check_in_verdict"] = False  # nobody arrived yet
        keep = {*keep, "fs_contact_deadline", "fs_check_in_verdict"}
        return (
            self.env["fsm.order"]
            .with_context(**QUIET, fs_keep_computed=keep)
            .create(values)
        )

    # ------------------------------------------------------------------
    # orders
    # ------------------------------------------------------------------
    @api.model
    def _dispatch_orders(self, orders, mode="auto"):
        """Dispatch existing ``orders`` (made by hand without a worker, or
        queued and dispatched again by a dispatcher): ``mode`` is recorded
        on those that get a worker."""
        orders = orders.sudo()
        if not orders:
            return orders
        areas = self._areas_of_orders(orders)
        skills = {
            order.id: order.ticket_id.service_line_id.service_type_id.fs_skill_id.id
            or None
            for order in orders
        }
        loads_skip = orders.filtered("person_id")
        decisions = self._decide(
            [core.Request(o.id, areas.get(o.id), skills[o.id]) for o in orders],
            ignore=loads_skip,
        )
        groups = {}
        for order in orders:
            decision = decisions[order.id]
            vals = {
                "fs_area_id": decision.area_id or False,
                "fs_dispatch_pending": False,
                **self._decision_values(decision, mode),
            }
            if decision.team_id:
                vals["team_id"] = decision.team_id
            key = tuple(sorted(vals.items()))
            groups.setdefault(key, []).append(order.id)
        for key, ids in groups.items():
            self.env["fsm.order"].browse(ids).with_context(mail_notrack=True).write(
                dict(key)
            )
        self._log(orders, decisions, key=lambda o: o.id)
        return orders

    @api.model
    def _areas_of_orders(self, orders):
        return {
            order.id: self._area_of(
                order.ticket_id.service_line_id,
                order.fs_customer_id,
                order.location_id,
            )
            for order in orders
        }

    # ------------------------------------------------------------------
    # the decision, from values read once
    # ------------------------------------------------------------------
    @api.model
    def _decide(self, requests, ignore=None):
        """{request key: core.Decision}: the covering teams of the areas,
        their active workers with their skills and their open orders, read
        in three queries for the whole batch. ``ignore``: orders whose
        current worker is not counted in the loads (dispatched again)."""
        area_ids = {r.area_id for r in requests if r.area_id}
        team_of_area = {
            area.id: area.fs_team_id.id
            for area in self.env["res.territory"].browse(area_ids)
            if area.fs_team_id.active
        }
        team_ids = set(team_of_area.values())
        workers = []
        if team_ids:
            persons = self.env["fsm.person"].search(
                [("team_id", "in", list(team_ids)), ("active", "=", True)]
            )
            skills = {}
            if persons:
                self.env.cr.execute(
                    SQL(
                        "SELECT person_id, array_agg(skill_id) "
                        "FROM fsm_person_fs_skill_rel "
                        "WHERE person_id = ANY(%s) GROUP BY person_id",
                        persons.ids,
                    )
                )
                skills = dict(self.env.cr.fetchall())
            workers = [
                core.Worker(p.id, p.team_id.id, frozenset(skills.get(p.id, ())))
                for p in persons
            ]
        loads = self._open_loads([w.id for w in workers], ignore)
        return {
            decision.key: decision
            for decision in core.dispatch(requests, team_of_area, workers, loads)
        }

    @api.model
    def _open_loads(self, person_ids, ignore=None):
        """{worker id: open orders assigned to the worker}, in one query."""
        if not person_ids:
            return {}
        domain = Domain("person_id", "in", person_ids) & Domain(
            "stage_id.is_closed", "=", False
        )
        if ignore:
            domain &= Domain("id", "not in", ignore.ids)
        return {
            person.id: count
            for person, count in self.env["fsm.order"]._read_group(
                domain, ["person_id"], ["__count"]
            )
        }

    @api.model
    def _decision_values(self, decision, mode):
        if decision.dispatched:
            return {
                "person_id": decision.worker_id,
                "fs_dispatch_mode": mode,
                "fs_dispatch_reason": False,
            }
        return {"fs_dispatch_mode": "queue", "fs_dispatch_reason": decision.reason}

    @api.model
    def _log(self, orders, decisions, key):
        """One chatter line per order, in one batch: the dispatch's trail
        (派单留痕)."""
        reasons = dict(
            self.env["fsm.order"]._fields["fs_dispatch_reason"]._description_selection(
                self.env
            )
        )
        bodies = {}
        for order in orders:
            decision = decisions[key(order)]
            if decision.dispatched:
                bodies[order.id] = self.env._(
                    "Dispatched by the rules to %(worker)s (%(team)s), area "
                    "%(area)s.",
                    worker=order.person_id.name,
                    team=order.team_id.name,
                    area=order.fs_area_id.name or "-",
                )
            else:
                bodies[order.id] = self.env._(
                    "In the dispatcher's queue: %(reason)s.",
                    reason=reasons[decision.reason],
                )
        orders._message_log_batch(
            bodies={k: Markup("<p>%s</p>") % v for k, v in bodies.items()}
        )
