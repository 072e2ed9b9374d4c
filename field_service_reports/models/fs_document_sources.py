from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.field_service_sla.sla_core import documents as core

from .fs_document import SHOWN_SOURCE_FIELDS, SOURCE_FIELD


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

    @api.model
    def _fs_guard_source_write(self, records, vals):
        """Refuse a change of what a signed or approved document shows of
        ``records``, naming the document."""
        shown = set().union(
            *(
                names
                for kind, names in SHOWN_SOURCE_FIELDS.items()
                if records._name == self._fs_source_model(kind)
            )
        )
        touched = {
            name
            for name in shown & vals.keys()
            if any(self._fs_changes(rec, name, vals[name]) for rec in records)
        }
        if touched:
            self._fs_guard_source(records, touched)

    @api.model
    def _fs_guard_source(self, records, names):
        """Refuse any change of ``names`` of ``records`` shown by one of their
        signed or approved documents."""
        if not records.ids:
            return
        field = self._fs_source_field(records._name)
        frozen = (
            self.sudo()
            .search(
                [(field, "in", records.ids), ("state", "in", core.FROZEN_STATES)],
                order="id",
            )
            .filtered(lambda d: SHOWN_SOURCE_FIELDS[d.kind] & set(names))
        )
        for doc in frozen[:1]:
            source = doc[field]
            raise UserError(
                self.env._(
                    "%(record)s: %(fields)s cannot change any more. %(reason)s",
                    record=source.display_name,
                    fields=self._fs_labels_of(
                        source, SHOWN_SOURCE_FIELDS[doc.kind] & set(names)
                    ),
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
