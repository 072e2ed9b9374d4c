from collections.abc import Iterable

from odoo import api, fields, models
from odoo.fields import Domain

from ..sla_core import normalize_circuit_ref

# searches on the circuit whose value is normalised as the stored circuits are
CIRCUIT_OPERATORS = {
    "=",
    "!=",
    "in",
    "not in",
    "like",
    "not like",
    "ilike",
    "not ilike",
}


class FsServiceLine(models.Model):
    _name = "fs.service.line"
    _description = "Customer Service Line (circuit)"
    _inherit = ["mail.thread"]
    _order = "partner_id, circuit_ref"
    _rec_names_search = ["circuit_ref", "service_type_id.name", "partner_id"]
    _check_company_auto = True

    # Built in the reader's language (the service type is translated): a
    # stored name would keep the language of whoever saved the line.
    name = fields.Char(compute="_compute_name")
    circuit_ref = fields.Char(
        string="Circuit ID",
        required=True,
        tracking=True,
        index=True,
        search="_search_circuit_ref",
        help="Stored in one form: blanks around dropped, inner blanks made one "
        "space, upper case; unique per company in that form.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain="[('is_company', '=', True)]",
    )
    location_id = fields.Many2one("fsm.location", check_company=True, tracking=True)
    service_type_id = fields.Many2one(
        "fs.service.type", string="Service type", required=True, tracking=True
    )
    assurance_level_id = fields.Many2one(
        "fs.assurance.level", string="Assurance level", required=True, tracking=True
    )
    bandwidth = fields.Char(help="e.g. 100M, 1G, 2M E1")
    cross_city = fields.Boolean(string="Cross-city", tracking=True)
    cross_province = fields.Boolean(string="Cross-province", tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company
    )
    active = fields.Boolean(default=True)
    ticket_ids = fields.One2many("helpdesk.ticket", "service_line_id", string="Tickets")

    _circuit_company_uniq = models.Constraint(
        "UNIQUE(company_id, circuit_ref)",
        "This circuit ID is already used by another service line of this company.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "circuit_ref" in vals:
                vals["circuit_ref"] = normalize_circuit_ref(vals["circuit_ref"])
        return super().create(vals_list)

    def write(self, vals):
        if "circuit_ref" in vals:
            vals = {**vals, "circuit_ref": normalize_circuit_ref(vals["circuit_ref"])}
        return super().write(vals)

    def _search_circuit_ref(self, operator, value):
        """A circuit is found whatever the case and spacing the user types,
        also through a ticket's line: the value searched is normalised as the
        stored ones are (the ORM applies this to every condition on the
        field; normalising twice changes nothing, so it stops there)."""
        if operator in CIRCUIT_OPERATORS:
            if isinstance(value, str):
                value = normalize_circuit_ref(value)
            elif isinstance(value, Iterable):
                value = [normalize_circuit_ref(v) for v in value]
        return Domain("circuit_ref", operator, value)

    @api.model
    def load(self, fields, data):
        """Odoo's import, with the errors told in the user's terms: the row
        as the spreadsheet numbers it (header = row 1), a duplicate circuit
        with the row it repeats or the line that already has it, and one
        error per bad cell (not also "missing required value")."""
        first_row = self.env.context.get("fs_import_first_row", 2)
        # before loading: afterwards the rows just created are in the database
        duplicates = self._import_duplicates(fields, data, first_row)
        savepoint = self.env.cr.savepoint()
        result = super().load(fields, data)
        messages, cells = [], set()
        for message in result["messages"]:
            index = message.get("rows", {}).get("from")
            if index is None:
                messages.append(message)
                continue
            field = message.get("field")
            if field and (index, field) in cells:
                # the cell's value was refused while reading the file; the
                # record then also lacks it ("missing required value")
                continue
            cells.add((index, field))
            if not field and index in duplicates:
                continue  # told below, with the circuit and the row it repeats
            messages.append(self._import_message(message, index, first_row))
        for index, text in sorted(duplicates.items()):
            messages.append(
                self._import_message(
                    {"type": "error", "message": text, "rows": {}}, index, first_row
                )
            )
        if duplicates and result["ids"]:
            savepoint.rollback()
            result["ids"] = False
        savepoint.close(rollback=False)
        messages.sort(key=lambda m: m.get("rows", {}).get("from", -1))
        return {**result, "messages": messages}

    def _import_message(self, message, index, first_row):
        row = first_row + index
        message = dict(message)
        if message.get("field"):
            # shown under its column, without the row unless there are several
            message["message"] = self.env._(
                "Row %(row)s: %(error)s", row=row, error=message["message"]
            )
        if self.env.context.get("import_file"):
            # the import screen prints rows.from + 1 under a column and the
            # record number beside any other error: make both the sheet's row
            message["rows"] = {"from": row - 1, "to": row - 1}
            message["record"] = row
        else:
            message["rows"] = {"from": index, "to": index}
            message["record"] = index
        return message

    def _import_duplicates(self, fields, data, first_row):
        """``{data index: message}`` for each row whose circuit repeats an
        earlier row of the file or a line of the database (same company)."""
        if "circuit_ref" not in fields:
            return {}
        circuit_col = fields.index("circuit_ref")
        company_col = fields.index("company_id") if "company_id" in fields else None
        id_cols = [i for i, f in enumerate(fields) if f in ("id", ".id")]
        seen, found, new = {}, {}, {}
        for index, row in enumerate(data):
            circuit = normalize_circuit_ref(row[circuit_col])
            if not circuit or any(row[i] for i in id_cols):
                continue  # a sub-row, or an update of an existing line
            key = (circuit, row[company_col] if company_col is not None else None)
            if key in seen:
                found[index] = self.env._(
                    "Circuit %(circuit)s repeats row %(row)s of the file.",
                    circuit=circuit,
                    row=first_row + seen[key],
                )
            else:
                seen[key] = index
                new[circuit] = index
        if company_col is None and new:
            existing = (
                self.with_context(active_test=False)
                .sudo()
                .search(
                    [
                        ("circuit_ref", "in", list(new)),
                        ("company_id", "=", self.env.company.id),
                    ]
                )
            )
            for line in existing:
                found[new[line.circuit_ref]] = self.env._(
                    "Circuit %(circuit)s already exists in the database "
                    "(customer %(customer)s).",
                    circuit=line.circuit_ref,
                    customer=line.partner_id.display_name,
                )
        return found

    @api.depends("circuit_ref", "service_type_id.name")
    @api.depends_context("lang")
    def _compute_name(self):
        for line in self:
            line.name = " ".join(
                p for p in (line.circuit_ref, line.service_type_id.name) if p
            )

    @api.depends("name")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for line in self:
            line.display_name = line.name
