from odoo import api, models
from odoo.exceptions import ValidationError

from .fs_severity_engine import COMPLAINT_COUNT_PARAM, COMPLAINT_MINUTES_PARAM


class IrConfigParameter(models.Model):
    """The complaint-aggregation figures are system parameters: refuse the
    values that would make every report severe or none."""

    _inherit = "ir.config_parameter"

    @api.model
    def _fs_int(self, key, default, minimum):
        """The whole number of system parameter ``key``, or ``default`` when
        it is missing, not a number or below ``minimum``: one broken setting
        must not stop a sweep or every delivery."""
        try:
            value = int(self.sudo().get_param(key, default))
        except (TypeError, ValueError):
            return default
        return value if value >= minimum else default

    @api.constrains("key", "value")
    def _check_fs_severity_settings(self):
        for param in self:
            if param.key not in (COMPLAINT_COUNT_PARAM, COMPLAINT_MINUTES_PARAM):
                continue
            try:
                number = int((param.value or "").strip())
            except ValueError:
                number = None
            if param.key == COMPLAINT_COUNT_PARAM:
                if number is None or number < 2:
                    raise ValidationError(
                        self.env._(
                            "%(key)s: the number of reports that makes a fault "
                            "severe must be a whole number of at least 2, not "
                            "%(value)s.",
                            key=param.key,
                            value=param.value,
                        )
                    )
            elif number is None or number <= 0:
                raise ValidationError(
                    self.env._(
                        "%(key)s: the window in which reports count together must "
                        "be a whole number of minutes above 0, not %(value)s.",
                        key=param.key,
                        value=param.value,
                    )
                )
