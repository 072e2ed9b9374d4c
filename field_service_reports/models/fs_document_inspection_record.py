from odoo import models
from odoo.exceptions import UserError

from odoo.addons.field_service_sla.models.fs_inspection_range_mixin import (
    UNIT_SELECTION,
)

from ..reports_core import documents as core
from .fs_document import shows
from .fs_document_content import address_of

shows(
    [core.INSPECTION_RECORD],
    [
        *(
            f"inspection_id.{f}"
            for f in (
                "template_id",
                "location_id",
                "service_line_id",
                "user_id",
                "planned_date",
                "date_start",
                "date_end",
                "state",
                "note",
            )
        ),
        "inspection_id.fsm_order_id.name",
        "inspection_id.location_id.complete_name",
        "inspection_id.location_id.name",
        *address_of("inspection_id.location_id.partner_id"),
        *(
            f"inspection_id.service_line_id.{f}"
            for f in ("circuit_ref", "service_type_id")
        ),
        *(
            f"inspection_id.item_ids.{f}"
            for f in (
                "inspection_id",
                "group",
                "name",
                "result",
                "note",
                "fixed_on_site",
            )
        ),
        *(
            f"inspection_id.reading_ids.{f}"
            for f in (
                "inspection_id",
                "name",
                "value",
                "measured",
                "unit",
                "has_min",
                "min_value",
                "has_max",
                "max_value",
            )
        ),
        *(
            f"inspection_id.finding_ids.{f}"
            for f in ("inspection_id", "name", "detail", "fixed_on_site", "fix_note")
        ),
        "inspection_id.finding_ids.ticket_id.number",
    ],
)


class FsDocument(models.Model):
    """The inspection record (客户端设备巡检记录表): the checklist, each
    reading with its acceptable range and verdict, and the findings, signed
    by the customer once the inspection is confirmed."""

    _inherit = "fs.document"

    def _fs_content_inspection_record(self):
        inspection = self.inspection_id
        units = dict(UNIT_SELECTION)
        return {
            "inspection": inspection.name or "",
            "template": inspection.template_id.name or "",
            "location": inspection.location_id.complete_name
            or inspection.location_id.name
            or "",
            "address": self._fs_address(inspection.location_id.partner_id),
            "service_line": self._fs_line_text(inspection.service_line_id),
            "order": inspection.fsm_order_id.name or "",
            "planned": str(inspection.planned_date or ""),
            "technician": inspection.user_id.name or "",
            "started": self._fs_fmt(inspection.date_start),
            "finished": self._fs_fmt(inspection.date_end),
            "items": [
                {
                    "group": item.group or "",
                    "name": item.name,
                    "result": item.result or "",
                    "note": item.note or "",
                    "fixed": item.fixed_on_site,
                }
                for item in inspection.item_ids
            ],
            "readings": [
                {
                    "name": reading.name,
                    "value": f"{reading.value:g}" if reading.measured else "",
                    "unit": units.get(reading.unit, ""),
                    "range": reading.range_display or "",
                    "verdict": reading.verdict or "",
                }
                for reading in inspection.reading_ids
            ],
            "findings": [
                {
                    "name": finding.name,
                    "detail": finding.detail or "",
                    "fixed": finding.fixed_on_site,
                    "fix": finding.fix_note or "",
                    "ticket": finding.ticket_id.number or "",
                }
                for finding in inspection.finding_ids.sorted("id")
            ],
            "note": inspection.note or "",
        }

    def _fs_check_ready_inspection_record(self):
        if self.inspection_id.state != "done":
            raise UserError(
                self.env._(
                    "Inspection %(inspection)s: confirm its findings before the "
                    "customer signs the record.",
                    inspection=self.inspection_id.name,
                )
            )
