import csv

from odoo import models
from odoo.exceptions import AccessError

from ..sla_core import normalize_circuit_ref

LINE_MODEL = "fs.service.line"
# the columns the whole-file import reads itself; a file mapping any other
# field goes through Odoo's load, still in one call
CHAR_FIELDS = {"circuit_ref", "bandwidth"}
BOOL_FIELDS = {"cross_city", "cross_province", "active"}
MANY2ONE_FIELDS = {
    "partner_id",
    "service_type_id",
    "assurance_level_id",
    "location_id",
    "company_id",
}
REQUIRED = ("circuit_ref", "partner_id", "service_type_id", "assurance_level_id")
TRUE_WORDS = {"1", "true", "yes", "y", "x", "是", "真"}
FALSE_WORDS = {"", "0", "false", "no", "n", "否", "假"}
# how many errors are told one by one; the rest are counted
MAX_MESSAGES = 200
# lines created per ORM create() call (one transaction for the whole file)
CREATE_CHUNK = 1000


class BaseImportImport(models.TransientModel):
    _inherit = "base_import.import"

    def execute_import(self, fields, columns, options, dryrun=False):
        """Service lines are imported a whole file at a time: the import
        screen sends the file in batches of 2,000 rows, each committed on its
        own, so an error late in a file used to leave its first batches
        written. Here the first call reads the whole file, checks every row
        (set-based: a few queries whatever the number of rows), tells every
        error with its row, and creates all the lines in the same transaction
        or none; it answers "nothing left" so the screen sends no more
        batches."""
        if self.res_model != LINE_MODEL:
            return super().execute_import(fields, columns, options, dryrun=dryrun)
        first_row = 2 if options.get("has_headers") else 1
        self = self.with_context(fs_import_first_row=first_row)
        rows, error = self._fs_read_rows(fields, options)
        if error:
            return {"ids": False, "messages": error, "nextrow": 0, "name": []}
        imported = [f for f in fields if f]
        if not imported:
            return super().execute_import(fields, columns, options, dryrun=dryrun)
        if set(imported) <= self._fs_fast_fields():
            return self._fs_import_lines(fields, rows, first_row, dryrun)
        # other columns: Odoo's load, but over the whole file in one call
        whole = {**options, "limit": None, "skip": 0}
        result = super().execute_import(fields, columns, whole, dryrun=dryrun)
        return {**result, "nextrow": 0}

    # ------------------------------------------------------------------
    # reading
    # ------------------------------------------------------------------
    def _fs_read_rows(self, fields, options):
        """``(data rows, None)`` or ``(None, messages)``: every row must have
        as many cells as the header, or the import says which rows do not
        (Odoo's own import stops at the first with "list index out of
        range")."""
        try:
            _length, rows = self._read_file(options)
        except (ValueError, UnicodeDecodeError, ImportError, csv.Error) as error:
            return None, [{"type": "error", "message": str(error), "rows": {}}]
        rows = list(rows)
        offset = 1 if options.get("has_headers") else 0
        wrong = [
            (number, len(row))
            for number, row in enumerate(rows, start=1)
            if len(row) != len(fields) and any(row)
        ]
        if wrong:
            messages = [
                {
                    "type": "error",
                    "message": self.env._(
                        "Row %(row)s has %(cells)s cells where the header has "
                        "%(columns)s: check that row's separators and quotes "
                        "(the file's separator is %(separator)s).",
                        row=number,
                        cells=cells,
                        columns=len(fields),
                        separator=repr(options.get("separator") or ","),
                    ),
                    "rows": {"from": number - 1, "to": number - 1},
                    "record": number,
                }
                for number, cells in wrong[:MAX_MESSAGES]
            ]
            return None, self._fs_cap(messages, len(wrong))
        return rows[offset:], None

    def _fs_cap(self, messages, total):
        if total > len(messages):
            messages.append(
                {
                    "type": "error",
                    "message": self.env._(
                        "… and %(count)s more rows with errors.",
                        count=total - len(messages),
                    ),
                    "rows": {},
                }
            )
        return messages

    @staticmethod
    def _fs_fast_fields():
        fields = CHAR_FIELDS | BOOL_FIELDS
        for name in MANY2ONE_FIELDS:
            fields |= {name, f"{name}/id", f"{name}/.id"}
        return fields

    # ------------------------------------------------------------------
    # checking and creating
    # ------------------------------------------------------------------
    def _fs_import_lines(self, fields, rows, first_row, dryrun):
        # import_file: its messages in the import screen's numbering
        Line = self.env[LINE_MODEL].with_context(import_file=True)
        if not Line.has_access("create"):
            raise AccessError(self.env._("You may not create service lines."))
        columns = [(i, f) for i, f in enumerate(fields) if f]
        errors = []  # (data index, field or None, message)
        resolved = {
            field: self._fs_resolve(
                field, {row[i].strip() for row in rows if row[i].strip()}
            )
            for i, field in columns
            if field.split("/")[0] in MANY2ONE_FIELDS
        }
        vals_list, indexes = [], []
        for index, row in enumerate(rows):
            if not any(cell.strip() for cell in row):
                continue  # an empty row, as Odoo's import skips it
            vals, told_from = {}, len(errors)
            for i, field in columns:
                name = field.split("/")[0]
                cell = row[i].strip()
                if name in CHAR_FIELDS:
                    vals[name] = cell or False
                elif name in BOOL_FIELDS:
                    if not cell:
                        continue  # the field's default
                    if cell.lower() in TRUE_WORDS | FALSE_WORDS:
                        vals[name] = cell.lower() in TRUE_WORDS
                    else:
                        errors.append((index, name, self.env._(
                            "“%(value)s” is not yes or no.", value=cell)))  # fmt: skip
                elif cell:
                    record_id, problem = resolved[field].get(cell, (False, None))
                    if problem:
                        errors.append((index, name, problem))
                    vals[name] = record_id
            vals.setdefault("company_id", self.env.company.id)
            if "circuit_ref" in vals:
                vals["circuit_ref"] = normalize_circuit_ref(vals["circuit_ref"])
            told = {e[1] for e in errors[told_from:]}
            for name in REQUIRED:
                if not vals.get(name) and name not in told:
                    errors.append((index, name, self.env._(
                        "%(field)s is missing.",
                        field=Line._fields[name]._description_string(self.env),
                    )))  # fmt: skip
            vals_list.append(vals)
            indexes.append(index)
        errors += self._fs_duplicates(vals_list, indexes, first_row)
        errors += self._fs_company_errors(vals_list, indexes)
        if errors:
            errors.sort(key=lambda e: e[0])
            messages = [
                Line._import_message(
                    {"type": "error", "message": text, "rows": {}, "field": field},
                    index,
                    first_row,
                )
                for index, field, text in errors[:MAX_MESSAGES]
            ]
            return {
                "ids": False,
                "messages": self._fs_cap(messages, len(errors)),
                "nextrow": 0,
                "name": [],
            }
        if dryrun:
            return {"ids": [], "messages": [], "nextrow": 0, "name": []}
        Line = Line.with_context(
            tracking_disable=True, mail_create_nolog=True, mail_notrack=True
        )
        ids = []
        for start in range(0, len(vals_list), CREATE_CHUNK):
            ids += Line.create(vals_list[start : start + CREATE_CHUNK]).ids
        return {"ids": ids, "messages": [], "nextrow": 0, "name": []}

    def _fs_resolve(self, field, values):
        """``{cell: (id, problem)}`` for the distinct values of a relational
        column, in a few queries: by name (``field``), external ID
        (``field/id``) or database ID (``field/.id``)."""
        name, _sep, kind = field.partition("/")
        comodel = self.env[self.env[LINE_MODEL]._fields[name].comodel_name]
        label = self.env[LINE_MODEL]._fields[name]._description_string(self.env)
        result = {}
        # by ID: only what the user may read (a name search already is)
        if kind == "id":
            for value in values:
                record = self.env.ref(value, raise_if_not_found=False)
                if record and record._name == comodel._name:
                    record = record.with_env(self.env)._filtered_access("read")
                if record and record._name == comodel._name:
                    result[value] = (record.id, None)
                else:
                    result[value] = (False, self.env._(
                        "No %(field)s has the external ID “%(value)s”.",
                        field=label, value=value))  # fmt: skip
            return result
        if kind == ".id":
            numbers = {v: int(v) for v in values if v.isdigit()}
            found = set(
                comodel.browse(set(numbers.values()))
                .exists()
                ._filtered_access("read")
                .ids
            )
            for value in values:
                if numbers.get(value) in found:
                    result[value] = (numbers[value], None)
                else:
                    result[value] = (False, self.env._(
                        "No %(field)s has the ID “%(value)s”.",
                        field=label, value=value))  # fmt: skip
            return result
        by_name = {}
        for record in comodel.search_fetch(
            [(comodel._rec_name or "name", "in", list(values))], [comodel._rec_name]
        ):
            by_name.setdefault(record[comodel._rec_name], []).append(record.id)
        for value in values:
            ids = by_name.get(value)
            if not ids:
                # as Odoo's import does: the model's own name search
                ids = [rid for rid, _n in comodel.name_search(value, operator="=")]
            if len(ids) == 1:
                result[value] = (ids[0], None)
            elif ids:
                result[value] = (False, self.env._(
                    "Several records are named “%(value)s” in %(field)s: use "
                    "their external ID.", value=value, field=label))  # fmt: skip
            else:
                result[value] = (False, self.env._(
                    "No %(field)s is named “%(value)s”.", field=label,
                    value=value))  # fmt: skip
        return result

    def _fs_duplicates(self, vals_list, indexes, first_row):
        """A circuit twice in the file or already in the database (same
        company, archived lines included): one query for the whole file."""
        errors, seen = [], {}
        for vals, index in zip(vals_list, indexes, strict=True):
            key = (vals.get("circuit_ref"), vals.get("company_id"))
            if not key[0]:
                continue
            if key in seen:
                errors.append((index, None, self.env._(
                    "Circuit %(circuit)s repeats row %(row)s of the file.",
                    circuit=key[0], row=first_row + seen[key])))  # fmt: skip
            else:
                seen[key] = index
        circuits = {key[0] for key in seen}
        if circuits:
            existing = (
                self.env[LINE_MODEL]
                .with_context(active_test=False)
                .sudo()
                .search_fetch(
                    [("circuit_ref", "in", list(circuits))],
                    ["circuit_ref", "company_id", "partner_id"],
                )
            )
            for line in existing:
                index = seen.get((line.circuit_ref, line.company_id.id))
                if index is not None:
                    errors.append((index, None, self.env._(
                        "Circuit %(circuit)s already exists in the database "
                        "(customer %(customer)s).", circuit=line.circuit_ref,
                        customer=line.partner_id.display_name)))  # fmt: skip
        return errors

    def _fs_company_errors(self, vals_list, indexes):
        """The customer and the location belong to the line's company (or to
        none): what create() checks line by line, checked for all at once."""
        errors = []
        for name in ("partner_id", "location_id"):
            comodel = self.env[self.env[LINE_MODEL]._fields[name].comodel_name]
            ids = {vals[name] for vals in vals_list if vals.get(name)}
            companies = {
                record.id: record.company_id.id
                for record in comodel.sudo().browse(ids).exists()
            }
            label = self.env[LINE_MODEL]._fields[name]._description_string(self.env)
            for vals, index in zip(vals_list, indexes, strict=True):
                company = companies.get(vals.get(name))
                if company and company != vals.get("company_id"):
                    errors.append((index, name, self.env._(
                        "The %(field)s belongs to another company.",
                        field=label)))  # fmt: skip
        return errors
