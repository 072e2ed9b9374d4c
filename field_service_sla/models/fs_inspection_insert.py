from odoo import api, models

from .bulk_insert import LOG_ACCESS, insert_rows

# what the ORM's INSERT and this one write alike: plain values, one array
# per column (a translated or binary column goes through create())
ARRAY_TYPES = {"int4", "varchar", "text", "date", "timestamp", "bool", "numeric"}


class FsInspection(models.Model):
    """Thousands of inspections in one INSERT: a plan's month."""

    _inherit = "fs.inspection"

    @api.model
    def _insert_rows(self, vals_list):
        """Create these inspections as create() does, in one INSERT with one
        array per column, where the ORM inserts 100 rows at a time and puts
        every field of every record in its cache first (a third of
        generating a month of inspection orders, in Python).

        What create() does for them is done here for the whole batch: the
        access rights checked (model, fields, then the record rules on the
        new rows), the defaults of the missing fields (the same for every
        row: worked out once), the log columns, the stored computed fields
        marked to compute (the caller keeps those it gave, as after
        create()), the one2many caches of the linked records invalidated,
        the Python constraints and the company check. Without tracking,
        creation message or followers: chatter is for the generated
        records of a system run (the context keys imports use), which
        mail.thread leaves alone too. Whatever this does not handle goes
        through create(): different fields per row, line commands, a
        translated or binary column, a field with an inverse, precomputed
        or properties fields, a parent model (_inherits)."""
        if not vals_list:
            return self.browse()
        keys = set(vals_list[0])
        if (
            any(set(vals) != keys for vals in vals_list)
            or self._inherits
            or any(
                field.precompute or field.type == "properties"
                for field in self._fields.values()
            )
            or any(self._fields[key].inverse for key in keys if key in self._fields)
        ):
            return self.create(vals_list)
        self.check_access("create")
        given = keys | {
            key[8:]
            for key in self.env.context
            if key.startswith("default_") and key[8:] in self._fields
        }
        for name in given:
            if name not in self._fields:
                raise ValueError(f"Invalid field {name!r} in {self._name!r}")
            self._check_field_access(self._fields[name], "write")
        defaults = self.default_get([name for name in self._fields if name not in keys])
        names = [
            name for name in {**defaults, **vals_list[0]} if name not in LOG_ACCESS
        ]
        fields = [self._fields[name] for name in names if name != "id"]
        for field in fields:
            if field.column_type:
                if field.column_type[0] not in ARRAY_TYPES or field.translate:
                    return self.create(vals_list)
            elif field.type != "one2many" or any(v.get(field.name) for v in vals_list):
                return self.create(vals_list)  # line commands: create() copies them
        columns = [field for field in fields if field.column_type]
        rows = [
            {
                field.name: field.convert_to_column_insert(
                    vals[field.name] if field.name in vals else defaults[field.name],
                    self,
                    vals,
                )
                for field in columns
            }
            for vals in vals_list
        ]
        records = self.browse(insert_rows(self, rows))
        # what the ORM does after its INSERT
        for field in columns:
            for inverse in self.pool.field_inverses[field]:
                self.env[inverse.model_name].invalidate_model(
                    [inverse.name], flush=False
                )
        records.modified(self._fields, create=True)
        records._validate_fields(field.name for field in columns)
        if self._check_company_auto:
            records._check_company()
        records.check_access("create")
        return records
