"""fieldservice_portal ships no Chinese: its portal pages (the field orders
list, its menu entry and search options) would stay English on a Chinese
screen. field_service_sla loads the po files we carry for such modules; this
addon's come from its own i18n_deps folder."""

from pathlib import Path

from odoo.addons.field_service_sla.models.ir_module import register_dep_translations

register_dep_translations(
    "field_service_reports",
    Path(__file__).resolve().parents[1] / "i18n_deps",
    ("fieldservice_portal",),
)
