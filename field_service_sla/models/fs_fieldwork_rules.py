from datetime import timedelta

from odoo import api, models

from ..sla_core.fieldwork import ENTERPRISE, HOME, FieldworkRules

# system parameters (Settings > Technical > System Parameters) and defaults
PARAMS = {
    "contact_within": ("field_service_sla.fieldwork_contact_minutes", 120),
    "company_notice": ("field_service_sla.fieldwork_company_notice_minutes", 120),
    "absent_wait": ("field_service_sla.fieldwork_absent_wait_minutes", 15),
    "observe_home": ("field_service_sla.fieldwork_observe_home_minutes", 5),
    "observe_enterprise": (
        "field_service_sla.fieldwork_observe_enterprise_minutes",
        10,
    ),
    "repeat_observe": ("field_service_sla.fieldwork_repeat_observe_minutes", 30),
}


class FsFieldworkRules(models.AbstractModel):
    """The field-work figures an administrator may change, read from the
    system parameters into the core's rules."""

    _name = "fs.fieldwork.rules"
    _description = "Field-work rules"

    @api.model
    def _rules(self):
        get = self.env["ir.config_parameter"].sudo().get_param
        values = {}
        for key, (param, default) in PARAMS.items():
            try:
                values[key] = max(0, int(get(param, default)))
            except (TypeError, ValueError):
                values[key] = default
        minutes = lambda key: timedelta(minutes=values[key])
        return FieldworkRules(
            contact_within=minutes("contact_within"),
            company_notice=minutes("company_notice"),
            absent_wait=minutes("absent_wait"),
            observe={
                HOME: minutes("observe_home"),
                ENTERPRISE: minutes("observe_enterprise"),
            },
            repeat_observe=minutes("repeat_observe"),
        )
