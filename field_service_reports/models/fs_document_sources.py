from odoo import api, fields, models, tools
from odoo.exceptions import UserError
from odoo.fields import Domain

from ..reports_core import documents as core
from .fs_document import SHOWN_PATHS, SOURCE_FIELD


class FsDocument(models.Model):
    """The records documents are printed from (ticket, field order,
    inspection, visit): their documents, printing and signing them from the
    record, and the guard that keeps what a signed document shows of them
    unchanged. The source models call these from thin hooks."""

    _inherit = "fs.document"

    @api.model
    def _fs_document_for(self, record, kind):
        """The document of this kind for ``record``: the latest one not
        declined, else a new draft."""
        record.ensure_one()
        field = SOURCE_FIELD[kind]
        return self.search(
            [
                (field, "=", record.id),
                ("kind", "=", kind),
                ("state", "!=", core.DECLINED),
            ],
            order="id desc",
            limit=1,
        ) or self.create({"kind": kind, field: record.id})

    @api.model
    def _fs_print_for(self, records, kind):
        documents = self.browse()
        for record in records:
            documents |= self._fs_document_for(record, kind)
        return documents.action_print()

    @api.model
    def _fs_sign_for(self, record, kind):
        return self._fs_document_for(record, kind).action_open_sign_wizard()

    @api.model
    def _fs_source_field(self, model):
        return next(
            f
            for kind, f in SOURCE_FIELD.items()
            if self._fs_source_model(kind) == model
        )

    @api.model
    def _fs_count_for(self, records):
        field = self._fs_source_field(records._name)
        counts = dict(
            self._read_group([(field, "in", records.ids)], [field], ["__count"])
        )
        return {record.id: counts.get(record, 0) for record in records}

    @api.model
    def _fs_documents_action(self, record):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "field_service_reports.fs_document_action"
        )
        action["domain"] = [(self._fs_source_field(record._name), "=", record.id)]
        action["context"] = {}
        return action

    @api.model
    def _fs_labels_of(self, record, names):
        return ", ".join(
            sorted(record._fields[n]._description_string(self.env) for n in names)
        )

    # ------------------------------------------------------------------
    # the freeze guard, derived from what the documents show (SHOWN_PATHS)
    # ------------------------------------------------------------------
    @api.model
    @tools.ormcache()
    def _fs_shown_index(self):
        """{model: {field: ((kind, path to the record), ...)}}: for each
        field a document shows, of whichever record along its paths, the
        kinds showing it and the path from the document to its record."""
        index = {}
        for kind, paths in SHOWN_PATHS.items():
            for path in paths:
                for model, name, prefix in self._fs_walk(path):
                    if model != self._name:
                        entries = index.setdefault(model, {}).setdefault(name, set())
                        entries.add((kind, prefix))
        return {
            model: {name: tuple(sorted(e)) for name, e in names.items()}
            for model, names in index.items()
        }

    @api.model
    def _fs_walk(self, path):
        """(model, field, path to the record) for each field along ``path``
        from the document; a field a model takes from its parent
        (_inherits) is walked as the parent's own."""
        model, prefix, steps = self._name, [], []
        names = path.split(".")
        while names:
            name = names.pop(0)
            field = self.env[model]._fields[name]
            if field.inherited:
                names[:0] = (
                    field.related.split(".")
                    if isinstance(field.related, str)
                    else list(field.related)
                )
                steps.append((model, name, ".".join(prefix)))
                continue
            steps.append((model, name, ".".join(prefix)))
            if field.relational:
                model = field.comodel_name
                prefix.append(name)
        return steps

    @api.model
    def _fs_guard_source_write(self, records, vals):
        """Refuse a change of what a signed or approved document shows of
        ``records`` (a source, or any record along what it shows), naming
        the document."""
        shown = self._fs_shown_index().get(records._name)
        if not shown or not records.ids:
            return
        touched = {
            name
            for name in shown.keys() & vals.keys()
            if any(self._fs_changes(rec, name, vals[name]) for rec in records)
        }
        if touched:
            self._fs_guard_source(records, touched)

    @api.model
    def _fs_guard_source(self, records, names):
        """Refuse any change of ``names`` of ``records`` shown by one of
        the signed or approved documents that show them."""
        shown = self._fs_shown_index().get(records._name, {})
        records = records.filtered("id")
        if not records:
            return
        Document = self.sudo()
        entries = {e for name in names for e in shown.get(name, ())}
        if not entries:
            return
        # one query in the common case: no frozen document shows them
        domain = Domain.OR(
            Domain(prefix, "in", records.ids) & Domain("kind", "=", kind)
            for kind, prefix in entries
        ) & Domain("state", "in", core.FROZEN_STATES)
        if not Document.search_count(domain, limit=1):
            return
        for name in sorted(names):
            for kind, prefix in shown.get(name, ()):
                doc = Document.search(
                    [
                        (prefix, "in", records.ids),
                        ("kind", "=", kind),
                        ("state", "in", core.FROZEN_STATES),
                    ],
                    order="id",
                    limit=1,
                )
                if doc:
                    record = records.filtered(
                        lambda r, doc=doc, prefix=prefix: r in doc.mapped(prefix)
                    )[:1]
                    self._fs_refuse_change(record or records[:1], names, doc)

    @api.model
    def _fs_refuse_change(self, record, names, doc):
        shown = self._fs_shown_index().get(record._name, {})
        labels = [n for n in names if any(k == doc.kind for k, _p in shown.get(n, ()))]
        raise UserError(
            self.env._(
                "%(record)s: %(fields)s cannot change any more. %(reason)s",
                record=record.sudo().display_name,
                fields=self._fs_labels_of(record, labels or names),
                reason=doc._fs_closed_message(),
            )
        )

    @api.model
    def _fs_changes(self, record, name, value):
        """Whether writing ``value`` to ``record.name`` changes it; any
        command on a list of lines counts as a change."""
        field = record._fields[name]
        if field.type in ("one2many", "many2many"):
            return True
        if field.type == "many2one":
            new = value.id if isinstance(value, models.BaseModel) else value
            return (new or False) != record[name].id
        if field.type == "datetime":
            return (fields.Datetime.to_datetime(value) or False) != (
                record[name] or False
            )
        if field.type == "date":
            return (fields.Date.to_date(value) or False) != (record[name] or False)
        return (value or False) != (record[name] or False)

    @api.model
    def _fs_source_model(self, kind):
        return self._fields[SOURCE_FIELD[kind]].comodel_name
