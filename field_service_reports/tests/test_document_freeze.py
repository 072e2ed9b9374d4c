"""The freeze guard is derived from what the documents show: each content
builder declares the paths of fields it shows (SHOWN_PATHS), the guard is
built from them, and these tests record what each builder really reads and
fail on a field the guard does not cover; then what the signed confirmation
shows of its order, ticket, line and contact no longer changes."""

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from ..models.fs_document import (
    NOT_FROZEN_MODELS,
    NOT_FROZEN_PATHS,
    SHOWN_PATHS,
    SOURCE_FIELD,
)
from .common import DocumentCase, core, sh
from .shown_recorder import recording_reads


@tagged("post_install", "-at_install")
class TestDocumentFreeze(DocumentCase):
    def covered(self, kind):
        """(model, field) pairs the guard covers for ``kind``, and those
        declared read but not frozen."""
        Document = self.env["fs.document"]
        frozen = {
            (model, name)
            for model, names in Document._fs_shown_index().items()
            for name, entries in names.items()
            if any(k == kind for k, _prefix in entries)
        }
        declared = {
            (model, name)
            for path in NOT_FROZEN_PATHS[kind]
            for model, name, _prefix in Document._fs_walk(path)
        }
        return frozen, declared

    def documents(self):
        technical = self.document(self.ticket, core.FAULT_REPORT_TECH)
        technical.write({"fault_cause": "光缆被挖断", "handling_process": "熔接"})
        return {
            core.CONFIRMATION: self.document(self.order, core.CONFIRMATION),
            core.QUALITY_FORM: self.document(self.order, core.QUALITY_FORM),
            core.FAULT_REPORT_TECH: technical,
            core.FAULT_REPORT_CUSTOMER: self.document(
                self.ticket, core.FAULT_REPORT_CUSTOMER
            ),
            core.VISIT_REPORT: self.document(self.visit, core.VISIT_REPORT),
            core.INSPECTION_RECORD: self.document(
                self.inspection, core.INSPECTION_RECORD
            ),
            core.CONTRACTOR_ASSESSMENT: self.document(
                self._assessment(), core.CONTRACTOR_ASSESSMENT
            ),
        }

    def _assessment(self):
        """A contractor crew's February with a dispatcher's entry on the
        ticket."""
        contractor = self.env["res.partner"].create(
            {"name": "Tower Maintenance Co.", "is_company": True}
        )
        crew = self.env["fsm.team"].create(
            {
                "name": "Tower crew",
                "fs_contractor": True,
                "fs_contractor_partner_id": contractor.id,
            }
        )
        scheme = self.env["fs.assessment.scheme"].create(
            {
                "name": "Freeze scheme",
                "item_ids": [
                    Command.create(
                        {"name": "Promise broken", "source": "manual", "points": 5}
                    )
                ],
            }
        )
        sheet = self.env["fs.assessment.sheet"].create(
            {"team_id": crew.id, "month": "2026-02-01", "scheme_id": scheme.id}
        )
        self.env["fs.assessment.line"].create(
            {
                "sheet_id": sheet.id,
                "item_id": scheme.item_ids.id,
                "ticket_id": self.ticket.id,
                "name": "No spare router brought",
            }
        )
        return sheet

    def test_every_field_a_builder_reads_is_frozen_or_said_not_to_be(self):
        documents = self.documents()
        self.assertEqual(set(documents), set(SOURCE_FIELD))
        for kind, document in documents.items():
            with self.subTest(kind=kind):
                self.env.invalidate_all()
                with recording_reads() as reads:
                    document._fs_content()
                frozen, declared = self.covered(kind)
                missing = sorted(
                    (model, name)
                    for model, name in reads
                    if model != "fs.document"
                    and model not in NOT_FROZEN_MODELS
                    and self.env[model]._fields[name].store
                    and not self.env[model]._fields[name].compute
                    and (model, name) not in frozen | declared
                    and name not in ("id", "create_date", "write_date")
                )
                self.assertFalse(
                    missing,
                    f"{kind}: its builder reads fields the freeze guard does "
                    f"not cover: {missing}",
                )

    def test_the_declared_paths_are_fields(self):
        for kind, paths in SHOWN_PATHS.items():
            for path in paths | NOT_FROZEN_PATHS[kind]:
                with self.subTest(kind=kind, path=path):
                    self.assertTrue(self.env["fs.document"]._fs_walk(path))

    def test_what_the_signed_confirmation_shows_no_longer_changes(self):
        document = self.document(self.order, core.CONFIRMATION)
        self.sign(document)
        shown = document._fs_content()
        for record, values in (
            (self.order, {"fs_restored_date": sh(2026, 3, 2, 12, 0)}),
            (self.ticket, {"name": "改写的标题"}),
            (self.ticket, {"description": "<p>改写的描述</p>"}),
            (self.line, {"bandwidth": "1G"}),
            (self.contact, {"phone": "13800000000"}),
            (self.location, {"phone": "023-0000 0000"}),
        ):
            with (
                self.subTest(model=record._name, values=list(values)),
                self.assertRefused(UserError, document.name),
            ):
                record.with_user(self.dispatcher).sudo().write(values)
        self.env.invalidate_all()
        self.assertEqual(document._fs_content(), shown)
        # what it does not show still changes
        self.line.write({"note": "改写"} if "note" in self.line._fields else {})
        self.contact.write({"email": "wang.fang@example.com"})
        self.ticket.write({"priority": "3"})
