from datetime import datetime, time, timedelta

import pytz

from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..sla_core import inspection as core

# what gives a new order a first-contact deadline or an arrival verdict
UNDISPATCHED = {"person_id", "person_ids", "fs_dispatch_date", "fs_arrival_date"}


def _keep_computed(records, names):
    """The stored computed fields ``names`` of new ``records`` were given
    with their values, worked out for the whole batch by the same rules as
    their computes: they are not computed again record by record
    (test_inspection_plan_batch: a recomputation changes nothing)."""
    for name in names:
        records.env.remove_to_compute(records._fields[name], records)


class FsInspectionPlan(models.Model):
    """Inspections follow the service level: every customer of a tier gets
    one inspection order per location every N months.

    OCA fieldservice_recurring keeps one recurring record per location and
    creates its orders one by one (a search and a create per location and
    date); a tier-wide plan over thousands of locations is generated here in
    a few batched queries instead."""

    _name = "fs.inspection.plan"
    _description = "Inspection plan"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    tier_id = fields.Many2one("fs.customer.tier", string="Customer tier", required=True)
    template_id = fields.Many2one("fs.inspection.template", required=True)
    interval_months = fields.Integer(string="Every (months)", required=True, default=3)
    anchor_date = fields.Date(
        string="First inspection", required=True, default=fields.Date.context_today
    )
    horizon_days = fields.Integer(
        string="Days ahead", default=31, help="How far ahead orders are generated."
    )
    fsm_team_id = fields.Many2one("fsm.team", string="Field team")
    inspection_ids = fields.One2many("fs.inspection", "plan_id", string="Inspections")
    active = fields.Boolean(default=True)

    @api.constrains("interval_months", "horizon_days")
    def _check_cadence(self):
        for plan in self:
            if plan.interval_months < 1 or plan.horizon_days < 1:
                raise ValidationError(
                    self.env._(
                        "An inspection plan repeats every 1 month or more and "
                        "looks at least 1 day ahead."
                    )
                )

    def _generate(self, start):
        """Create the missing inspection orders of [start, start + horizon),
        and of the last plan date before ``start`` when none was generated
        since it (overdue: core.due_occurrences). ``start`` is the company's
        local today for the runs (fs_inspection_plan_run.py).

        A location is inspected for a plan when it carries a service line of
        a customer of the plan's tier (of the template's service types, if it
        names some). Running it again over the same days creates nothing.
        The inspection goes to the location's usual worker (its first worker,
        else its territory's primary worker), when that worker is a user."""
        if not self:
            return self.env["fs.inspection"]
        end = start + timedelta(days=max(self.mapped("horizon_days")))
        since = min(
            core.last_occurrence_before(plan.anchor_date, plan.interval_months, start)
            or start
            for plan in self
        )
        # the lines, their customer's tier and the inspections already there,
        # as plain rows: reading 25,000 lines through the ORM cost more than
        # the query (the same searches, with the same access rules)
        Line = self.env["fs.service.line"]
        query = Line._search(
            [
                ("partner_id.customer_tier_id", "in", self.tier_id.ids),
                ("location_id", "!=", False),
                ("company_id", "in", self.company_id.ids),
            ],
            order="id",
        )
        partner = query.join(query.table, "partner_id", "res_partner", "id", "partner")
        lines = self.env.execute_query(
            query.select(
                *(
                    SQL.identifier(query.table, name)
                    for name in (
                        "id",
                        "location_id",
                        "service_type_id",
                        "company_id",
                        "partner_id",
                    )
                ),
                SQL(
                    "%s",
                    SQL.identifier(partner, "customer_tier_id"),
                    to_flush=self.env["res.partner"]._fields["customer_tier_id"],
                ),
            )
        )
        query = self.env["fs.inspection"]._search(
            [
                ("plan_id", "in", self.ids),
                ("planned_date", ">=", since),
                ("planned_date", "<", end),
            ]
        )
        existing = {}
        for plan, location, day in self.env.execute_query(
            query.select(
                *(
                    SQL.identifier(query.table, name)
                    for name in ("plan_id", "location_id", "planned_date")
                )
            )
        ):
            existing.setdefault((plan, location), set()).add(day)
        orders, inspections = [], []
        technicians = self._usual_technicians({row[1] for row in lines})
        stages = {}
        for company in self.company_id:
            stage = self.env["fsm.order"].with_company(company)._default_stage_id()
            stages[company.id] = stage.id
        of_tier = {}  # (tier, company): the lines of its customers, in order
        for line, location, service_type, company, partner, tier in lines:
            of_tier.setdefault((tier, company), []).append(
                (line, location, service_type, partner)
            )
        for plan in self:
            description = self.env._("Inspection: %s", plan.template_id.name)
            types = set(plan.template_id.service_type_ids.ids)
            plan_end = start + timedelta(days=plan.horizon_days)
            first_line = {}
            tier, company = plan.tier_id.id, plan.company_id.id
            for line, location, service_type, partner in of_tier.get(
                (tier, company), ()
            ):
                if not types or service_type in types:
                    first_line.setdefault(location, (line, partner))
            for location, (line, partner) in first_line.items():
                for day in core.due_occurrences(
                    plan.anchor_date,
                    plan.interval_months,
                    start,
                    plan_end,
                    existing.get((plan.id, location), ()),
                ):
                    values = plan._order_values(location, day, description)
                    if stages[plan.company_id.id]:
                        values["stage_id"] = stages[plan.company_id.id]
                    orders.append(values)
                    inspections.append(
                        {
                            "plan_id": plan.id,
                            "template_id": plan.template_id.id,
                            "location_id": location,
                            "service_line_id": line,
                            # its related customer and tier, as read above
                            "partner_id": partner,
                            "customer_tier_id": tier,
                            "planned_date": day,
                            "company_id": plan.company_id.id,
                            "user_id": technicians.get(location, False),
                            # copied below in two INSERTs for the whole run
                            "item_ids": [],
                            "reading_ids": [],
                        }
                    )
        if not orders:
            return self.env["fs.inspection"]
        # A system run, thousands at a time: no "created" message, no
        # follower and no tracking per record (as imports do); the order
        # numbers drawn in one query rather than one sequence call each.
        quiet = {
            "tracking_disable": True,
            "mail_create_nolog": True,
            "mail_create_nosubscribe": True,
            "mail_notrack": True,
        }
        names = self._order_names([v["company_id"] for v in orders])
        for values, name in zip(orders, names, strict=True):
            if name:
                values["name"] = name
        computed = self._order_precomputed_values(orders)
        created = (
            self.env["fsm.order"]
            .with_context(**quiet, fs_keep_computed=computed)
            .create(orders)
        )
        for values, order in zip(inspections, created, strict=True):
            values["fsm_order_id"] = order.id
        computed = self.env["fs.inspection"]._new_computed_values(inspections)
        created = (
            self.env["fs.inspection"]
            .with_context(**quiet)
            ._insert_rows(inspections)
            .with_env(self.env)
        )
        _keep_computed(created, computed)
        created._copy_template_lines()
        return created

    @api.model
    def _order_names(self, company_ids):
        """The next field-order numbers, one per company given, as
        ir.sequence.next_by_code("fsm.order") would give them in that
        company, but drawn in one query per sequence: OCA fsm.order.create
        calls the sequence once per order. A sequence by date range is left
        to that call (None: fsm.order.create numbers it)."""
        sequences = (
            self.env["ir.sequence"]
            .sudo()
            .search(
                [
                    ("code", "=", "fsm.order"),
                    ("company_id", "in", [*company_ids, False]),
                ],
                order="company_id",
            )
        )
        names = [None] * len(company_ids)
        by_sequence = {}
        of_company = {}
        for index, company in enumerate(company_ids):
            if company not in of_company:
                of_company[company] = (
                    sequences.filtered(lambda s, c=company: s.company_id.id == c)[:1]
                    or sequences.filtered(lambda s: not s.company_id)[:1]
                )
            sequence = of_company[company]
            if sequence and not sequence.use_date_range:
                by_sequence.setdefault(sequence, []).append(index)
        for sequence, indexes in by_sequence.items():
            step, count = sequence.number_increment, len(indexes)
            if sequence.implementation == "standard":
                self.env.cr.execute(
                    "SELECT nextval(%s) FROM generate_series(1, %s) ORDER BY 1",
                    [f"ir_sequence_{sequence.id:03d}", count],
                )
                numbers = [row[0] for row in self.env.cr.fetchall()]
            else:
                sequence.flush_recordset(["number_next"])
                self.env.cr.execute(
                    "UPDATE ir_sequence SET number_next = number_next + %s "
                    "WHERE id = %s RETURNING number_next - %s",
                    [step * count, sequence.id, step * count],
                )
                first = self.env.cr.fetchone()[0]
                sequence.invalidate_recordset(["number_next"])
                numbers = [first + step * k for k in range(count)]
            # sequence.get_next_char(number), with the prefix and suffix
            # interpolated once for the run rather than once per order
            prefix, suffix = sequence._get_prefix_suffix()
            number_format = f"%0{sequence.padding}d"
            for index, number in zip(indexes, numbers, strict=True):
                names[index] = prefix + number_format % number + suffix
        return names

    @api.model
    def _order_precomputed_values(self, orders):
        """Complete the values of new fsm.order records with what their
        precomputed fields (fieldservice's team, directions, instructions,
        equipment) would be, worked out for the whole batch: when a value
        is missing, the ORM computes them on one new record per order (a
        sixth of generating a month of inspections). Same rules as
        fieldservice's computes: the location's team, else the default team;
        the location's directions; no instructions without a template; the
        equipment at the location when the company populates it. Likewise
        the fields computed after the INSERT, whose names are returned: the
        location's areas, the customer, the short-notice count, the contact
        deadline and the arrival verdict (fsm_order_crew.py, _appointment.py,
        _check_in.py; a generated order has
        no ticket, no appointment change, no worker and no arrival)."""
        Order = self.env["fsm.order"]
        locations = self.env["fsm.location"].browse({v["location_id"] for v in orders})
        teams = {location.id: location.team_id.id for location in locations}
        directions = {loc.id: loc.complete_direction or False for loc in locations}
        customers = {loc.id: loc.owner_id.commercial_partner_id.id for loc in locations}
        # fieldservice's related fields of the order's location
        areas = ("territory_id", "branch_id", "district_id", "region_id")
        area_of = {loc.id: {name: loc[name].id for name in areas} for loc in locations}
        populating = (
            self.env["res.company"]
            .browse({v["company_id"] for v in orders})
            .filtered("auto_populate_equipments_on_order")
        )
        equipment = {}
        if populating:
            for item in self.env["fsm.equipment"].search(
                [
                    ("current_location_id", "in", locations.ids),
                    ("company_id", "in", populating.ids),
                ]
            ):
                key = (item.current_location_id.id, item.company_id.id)
                equipment.setdefault(key, []).append(item.id)
        default_team = None
        for values in orders:
            location = values["location_id"]
            if "team_id" not in values:
                team = teams[location]
                if not team:
                    if default_team is None:  # fieldservice: per company
                        default_team = Order._default_team_id().id
                    team = default_team
                values["team_id"] = team
            values.setdefault("location_directions", directions[location])
            if "template_id" not in values:
                values.setdefault("todo", False)
            found = equipment.get((location, values["company_id"]))
            values.setdefault("equipment_ids", [Command.set(found)] if found else [])
            # computed after the INSERT: given here, they go in it, where they
            # were an UPDATE of every order after it
            for name, value in area_of[location].items():
                values.setdefault(name, value)
            values.setdefault("fs_customer_id", customers[location])
            values.setdefault("fs_short_notice_count", 0)
            # not dispatched, no arrival: no contact deadline, no verdict
            if not values.keys() & UNDISPATCHED:
                values.setdefault("fs_contact_deadline", False)
                values.setdefault("fs_check_in_verdict", False)
        names = [*areas, "fs_customer_id", "fs_short_notice_count"]
        if not any(values.keys() & UNDISPATCHED for values in orders):
            names += ["fs_contact_deadline", "fs_check_in_verdict"]
        return names

    @api.model
    def _usual_technicians(self, location_ids):
        """{location id: user id} of the worker who usually serves each
        location: its first worker (fieldservice's Workers tab), else its
        territory's primary worker, when that worker is an internal user.
        Locations without one are left out: a dispatcher assigns them."""
        ids = list(location_ids)
        person_of = {}
        for row in self.env["fsm.location.person"].search_read(
            [("location_id", "in", ids)], ["location_id", "person_id"]
        ):  # ordered by sequence
            person_of.setdefault(row["location_id"][0], row["person_id"][0])
        # the territory's primary worker, read only where there is one
        for row in self.env["fsm.location"].search_read(
            [
                ("id", "in", [i for i in ids if i not in person_of]),
                ("territory_manager_id", "!=", False),
            ],
            ["territory_manager_id"],
        ):
            person_of[row["id"]] = row["territory_manager_id"][0]
        user_of = {}
        for person in self.env["fsm.person"].browse(set(person_of.values())):
            user = person.partner_id.user_ids.filtered(lambda u: not u.share)[:1]
            if user:
                user_of[person.id] = user.id
        return {
            location: user_of[person]
            for location, person in person_of.items()
            if person in user_of
        }

    def _order_values(self, location, day, description=None):
        self.ensure_one()
        tz = pytz.timezone(self.company_id._fs_operator_tz())
        start = tz.localize(datetime.combine(day, time(9, 0)))
        values = {
            "location_id": location,
            # 09:00 in the operator's time zone: the plan gives a day, the
            # order wants a time
            "scheduled_date_start": start.astimezone(pytz.utc).replace(tzinfo=None),
            "description": description
            or self.env._("Inspection: %s", self.template_id.name),
            "company_id": self.company_id.id,
        }
        if self.fsm_team_id:
            values["team_id"] = self.fsm_team_id.id
        return values
