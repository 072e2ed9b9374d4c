from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

from ..sla_core import inspection as core

STATES = [("draft", "In progress"), ("done", "Done")]
ITEM_COLUMNS = ("int", "varchar", "varchar", "bool")
READING_COLUMNS = (
    "int", "varchar", "varchar", "bool", "numeric", "bool", "numeric", "varchar",
    "bool",
)  # fmt: skip


def fan_out(groups, types, constants):
    """The rows of each group's template lines repeated for each of its
    inspections, as one SELECT: ``groups`` are (inspection ids, rows of the
    template lines, of the column ``types``); every row starts with its
    inspection id and ends with the ``constants``. Inspection by inspection,
    each one's lines in their order (the order their ids are drawn in)."""
    selects = []
    for ids, rows in groups:
        width = len(rows)
        columns = [
            SQL("(%s::%s[])[1 + (k - 1) %% %s]", list(values), SQL(kind), width)
            for kind, values in zip(types, zip(*rows, strict=True), strict=True)
        ]
        selects.append(
            SQL(
                "SELECT (%s::int[])[1 + (k - 1) / %s], %s "
                "FROM generate_series(1, %s) k",
                ids,
                width,
                SQL(", ").join([*columns, *(SQL("%s", c) for c in constants)]),
                len(ids) * width,
            )
        )
    return SQL(" UNION ALL ").join(selects)


class FsInspection(models.Model):
    """An inspection (巡检 / 例行测试) at a customer's location: the template's
    checklist and readings, recorded on site; its findings are confirmed in
    one go and those not fixed on site become follow-up tickets."""

    _name = "fs.inspection"
    _description = "Inspection"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "planned_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    template_id = fields.Many2one(
        "fs.inspection.template", required=True, tracking=True, ondelete="restrict"
    )
    segment = fields.Selection(related="template_id.segment", store=True)
    location_id = fields.Many2one(
        "fsm.location", required=True, index=True, check_company=True, tracking=True
    )
    service_line_id = fields.Many2one(
        "fs.service.line",
        string="Service line",
        check_company=True,
        domain="[('location_id', '=', location_id)]",
        help="The circuit the follow-up tickets of this inspection are raised on.",
    )
    partner_id = fields.Many2one(
        related="service_line_id.partner_id", store=True, string="Customer"
    )
    customer_tier_id = fields.Many2one(
        related="service_line_id.partner_id.customer_tier_id", store=True
    )
    fsm_order_id = fields.Many2one(
        "fsm.order", string="Field order", index=True, check_company=True
    )
    plan_id = fields.Many2one("fs.inspection.plan", index=True, readonly=True)
    planned_date = fields.Date(
        string="Planned for", default=fields.Date.context_today, index=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Technician",
        default=lambda self: self.env.user,
        index=True,
        tracking=True,
    )
    state = fields.Selection(STATES, default="draft", required=True, tracking=True)
    date_start = fields.Datetime(string="Started")
    date_end = fields.Datetime(string="Finished")
    too_long = fields.Boolean(
        string="Over time limit",
        compute="_compute_too_long",
        store=True,
        help="Longer than the template's time limit (home routine test: 30 min).",
    )
    item_ids = fields.One2many(
        "fs.inspection.item", "inspection_id", string="Checklist"
    )
    reading_ids = fields.One2many(
        "fs.inspection.reading", "inspection_id", string="Readings"
    )
    finding_ids = fields.One2many(
        "fs.inspection.finding", "inspection_id", string="Findings"
    )
    finding_count = fields.Integer(
        string="Number of findings", compute="_compute_findings", store=True
    )
    out_of_range_count = fields.Integer(
        string="Readings out of range", compute="_compute_findings", store=True
    )
    ticket_count = fields.Integer(
        string="Number of follow-up tickets", compute="_compute_ticket_count"
    )
    note = fields.Text()

    @api.depends("template_id.name", "location_id.name", "planned_date")
    def _compute_name(self):
        for rec in self:
            rec.name = self._inspection_name(
                rec.template_id.name, rec.location_id.name, rec.planned_date
            )

    @api.model
    def _inspection_name(self, template, location, day):
        return " · ".join(str(part) for part in (template, location, day) if part)

    @api.model
    def _new_computed_values(self, vals_list):
        """Complete the values of new inspections with blank lines, not
        started (a plan's), with their stored computed fields, worked out
        for the whole batch by the same rules as the computes; return their
        names (none if some inspection is not blank). Given with the values,
        they go in the INSERT, where the ORM computed them one inspection at
        a time and wrote them in an UPDATE of every new row after it (a
        second write, its foreign keys checked again)."""
        if any(
            v.get("date_start") or v.get("item_ids") or v.get("reading_ids")
            for v in vals_list
        ):
            return []
        records = {
            name: self.env[comodel].browse(
                {v[field] for v in vals_list if v.get(field) and todo(v)}
            )
            for name, comodel, field, todo in (
                ("templates", "fs.inspection.template", "template_id", bool),
                ("locations", "fsm.location", "location_id", bool),
                # the customer of the line, unless given with it
                (
                    "lines",
                    "fs.service.line",
                    "service_line_id",
                    lambda v: not {"partner_id", "customer_tier_id"} <= v.keys(),
                ),
            )
        }
        templates = {t.id: t for t in records["templates"]}
        # the location's name is its partner's (fsm.location inherits it)
        locations = {loc.id: loc.partner_id.name for loc in records["locations"]}
        customers = {
            line.id: (line.partner_id.id, line.partner_id.customer_tier_id.id)
            for line in records["lines"]
        }
        for vals in vals_list:
            template = templates.get(vals.get("template_id"))
            partner, tier = customers.get(vals.get("service_line_id"), (False, False))
            vals.setdefault("segment", template.segment if template else False)
            vals.setdefault("partner_id", partner)
            vals.setdefault("customer_tier_id", tier)
            vals.setdefault(
                "name",
                self._inspection_name(
                    template.name if template else False,
                    locations.get(vals.get("location_id")),
                    vals.get("planned_date"),
                ),
            )
            vals.setdefault("too_long", False)
            vals.setdefault("finding_count", 0)
            vals.setdefault("out_of_range_count", 0)
        return [
            "segment",
            "partner_id",
            "customer_tier_id",
            "name",
            "too_long",
            "finding_count",
            "out_of_range_count",
        ]

    @api.depends("segment", "date_start", "date_end", "template_id.max_minutes")
    def _compute_too_long(self):
        for rec in self:
            rec.too_long = core.routine_test_too_long(
                rec.segment, rec.date_start, rec.date_end, rec.template_id.max_minutes
            )

    @api.depends("item_ids.is_finding", "reading_ids.is_finding")
    def _compute_findings(self):
        for rec in self:
            readings = len(rec.reading_ids.filtered("is_finding"))
            rec.out_of_range_count = readings
            rec.finding_count = readings + len(rec.item_ids.filtered("is_finding"))

    def _compute_ticket_count(self):
        for rec in self:
            rec.ticket_count = len(rec.finding_ids.ticket_id)

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for rec in self:
            if rec.date_start and rec.date_end and rec.date_end < rec.date_start:
                raise ValidationError(
                    self.env._("An inspection cannot finish before it starts.")
                )

    def _check_company(self, fnames=None):
        """The ORM's company check (the location, service line and field order
        of an inspection belong to its company or to none), for a batch at
        once: the linked records of each field are checked together per
        company in one count query, where the ORM builds and evaluates a
        domain for each inspection on its own (a sixth of generating a month
        of thousands).
        When some link is wrong, the ORM's own check runs on the batch and
        raises its usual message."""
        if len(self) < 2:
            return super()._check_company(fnames)
        if fnames is None or {"company_id", "company_ids"} & set(fnames):
            fnames = self._fields
        checked = [
            self._fields[name]
            for name in fnames
            if self._fields[name].relational and self._fields[name].check_company
        ]
        if any(field.company_dependent for field in checked):
            return super()._check_company(fnames)
        by_company = self.sudo().grouped("company_id")
        for field in checked:
            Comodel = self.env[field.comodel_name].sudo()
            for company, records in by_company.items():
                ids = set(records.mapped(field.name)._ids)
                if not ids:
                    continue
                corecords = Comodel.browse(ids).with_context(active_test=False)
                domain = corecords._check_company_domain(company)
                # in SQL: reading the company of thousands of locations (a
                # field of their partner) record by record costs more
                if domain and corecords.search_count(
                    Domain("id", "in", list(ids)) & Domain(domain)
                ) != len(ids):
                    return super()._check_company(fnames)
        return None

    @api.model_create_multi
    def create(self, vals_list):
        """An inspection created without checklist and readings gets its
        template's, through the plans' own copy (_copy_template_lines). The
        web client sends empty line lists for a new form: empty is none."""
        blank = []
        for vals in vals_list:
            lines = [vals.get(key) for key in ("item_ids", "reading_ids")]
            blank.append(bool(vals.get("template_id")) and not any(lines))
            if blank[-1]:
                vals.pop("item_ids", None)
                vals.pop("reading_ids", None)
        records = super().create(vals_list)
        records.browse(
            [r.id for r, copy in zip(records, blank, strict=True) if copy]
        )._copy_template_lines()
        return records

    def _copy_template_lines(self):
        """The templates' checklists and readings onto these inspections (which
        have none yet) in one INSERT per line table: a plan's run copies some
        twenty lines to each of thousands of inspections, which the ORM would
        create one by one in Python (a minute for 10,000 inspections). The
        lines are blank: their stored computed fields (no verdict yet, not a
        finding) are those of a blank line, computed once per template line.

        Only the template lines (a few dozen values) and the inspection ids
        are sent: the server repeats each template's lines for each of its
        inspections, where sending the ~140,000 rows of a month as arrays
        cost more in quoting and parsing them than in writing them. The rows
        come inspection by inspection, each one's lines in the template's
        order, as the ORM creates them."""
        # once: an inspection that has lines keeps them (a plan's batch that
        # went through create() got them there)
        blank = self.filtered(lambda r: not r.item_ids and not r.reading_ids)
        if blank:
            blank._insert_template_lines()

    def _insert_template_lines(self):
        self.flush_recordset()
        uid, now = self.env.uid, fields.Datetime.now()
        Reading = self.env["fs.inspection.reading"]
        blank_item = core.item_is_finding(None)
        items, readings = [], []
        for template, inspections in self.grouped("template_id").items():
            rows = [
                (line.sequence, line.name, line.group, blank_item)
                for line in template.item_ids
            ]
            if rows:
                items.append((inspections.ids, rows))
            rows = []
            for line in template.reading_ids:
                values = {
                    "unit": line.unit,
                    "has_min": line.has_min,
                    "min_value": line.min_value,
                    "has_max": line.has_max,
                    "max_value": line.max_value,
                }
                blank = Reading.new(values)
                rows.append(
                    (
                        line.sequence,
                        line.name,
                        *values.values(),
                        blank.verdict or None,
                        blank.is_finding,
                    )
                )
            if rows:
                readings.append((inspections.ids, rows))
        cr = self.env.cr
        if items:
            cr.execute(
                SQL(
                    """
                    INSERT INTO fs_inspection_item (inspection_id, sequence, name,
                        "group", is_finding, create_uid, create_date, write_uid,
                        write_date)
                    %s
                    """,
                    fan_out(items, ITEM_COLUMNS, [uid, now, uid, now]),
                )
            )
        if readings:
            cr.execute(
                SQL(
                    """
                    INSERT INTO fs_inspection_reading (inspection_id, sequence,
                        name, unit, has_min, min_value, has_max, max_value,
                        verdict, is_finding, measured, create_uid, create_date,
                        write_uid, write_date)
                    %s
                    """,
                    fan_out(readings, READING_COLUMNS, [False, uid, now, uid, now]),
                )
            )
        self.env["fs.inspection.item"].invalidate_model()
        Reading.invalidate_model()
        self.invalidate_recordset(["item_ids", "reading_ids"])

    @api.onchange("service_line_id")
    def _onchange_service_line_id(self):
        """Offer the template of the line's segment and service type."""
        line = self.service_line_id
        if not line:
            return
        if not self.location_id:
            self.location_id = line.location_id
        if self.template_id:
            return
        segment = line.partner_id.customer_segment
        templates = self.env["fs.inspection.template"].search(
            [("segment", "=", segment)] if segment else []
        )
        self.template_id = (
            templates.filtered(lambda t: line.service_type_id in t.service_type_ids)[:1]
            or templates.filtered(lambda t: not t.service_type_ids)[:1]
        )

    def action_start(self):
        self.filtered(lambda r: not r.date_start).write(
            {"date_start": fields.Datetime.now()}
        )

    def action_done(self):
        """Record the findings and raise the follow-up tickets, in batch.

        Confirming again (or an inspection already done) creates nothing twice:
        a line that already has its finding is skipped."""
        todo = self.filtered(lambda r: r.state == "draft")
        todo._check_complete()
        Finding = self.env["fs.inspection.finding"]
        known = Finding.search_read(
            [("inspection_id", "in", todo.ids)], ["item_id", "reading_id"]
        )
        seen_items = {f["item_id"][0] for f in known if f["item_id"]}
        seen_readings = {f["reading_id"][0] for f in known if f["reading_id"]}
        new = [
            line._finding_values()
            for line in todo.item_ids
            if line.is_finding and line.id not in seen_items
        ] + [
            line._finding_values()
            for line in todo.reading_ids
            if line.is_finding and line.id not in seen_readings
        ]
        follow = [v for v in new if core.needs_follow_up(True, v["fixed_on_site"])]
        missing_line = {v["inspection_id"] for v in follow} - set(
            todo.filtered("service_line_id").ids
        )
        if missing_line:
            raise UserError(
                self.env._(
                    "Set the service line of %s: its findings not fixed on site "
                    "raise follow-up tickets on it.",
                    ", ".join(self.browse(missing_line).mapped("display_name")),
                )
            )
        by_id = {rec.id: rec for rec in todo}
        # Follow-up tickets are the system's, whatever the technician may
        # create: they must exist even for a team the technician is not in.
        tickets = (
            self.env["helpdesk.ticket"]
            .sudo()
            .create([by_id[v["inspection_id"]]._ticket_values(v) for v in follow])
        )
        for values, ticket in zip(follow, tickets, strict=True):
            values["ticket_id"] = ticket.id
        Finding.create(new)
        now = fields.Datetime.now()
        todo.filtered(lambda r: not r.date_end).write({"date_end": now})
        todo.write({"state": "done"})
        return True

    def _check_complete(self):
        pending_items = self.item_ids.filtered(lambda i: not i.result)
        pending_readings = self.reading_ids.filtered(lambda r: not r.measured)
        if pending_items or pending_readings:
            names = (pending_items.mapped("name") + pending_readings.mapped("name"))[:5]
            raise UserError(
                self.env._(
                    "Record every check and reading before confirming: %s.",
                    ", ".join(names),
                )
            )

    def _ticket_values(self, finding):
        self.ensure_one()
        return {
            "name": self.env._("Inspection finding: %s", finding["name"]),
            "description": self.env._(
                "<p>Found during inspection %(inspection)s: %(finding)s</p>",
                inspection=self.name,
                finding=finding["detail"] or finding["name"],
            ),
            "service_line_id": self.service_line_id.id,
            "partner_id": self.partner_id.id,
            "fsm_location_id": self.location_id.id,
            "company_id": self.company_id.id,
            # maintenance work, not a fault: its own category and policy
            "category_id": self.env["fs.inspection.finding"]._maintenance_category().id,
        }

    def action_view_tickets(self):
        self.ensure_one()
        tickets = self.finding_ids.ticket_id
        title = self.env._("Follow-up tickets")
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": "helpdesk.ticket",
            "view_mode": "list,form",
            "domain": [("id", "in", tickets.ids)],
        }
