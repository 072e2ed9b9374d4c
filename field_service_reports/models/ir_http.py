from odoo import models


class IrHttp(models.AbstractModel):
    """The portal's browser side (the signature and decline forms) reads its
    terms in the customer's language."""

    _inherit = "ir.http"

    @classmethod
    def _get_translation_frontend_modules_name(cls):
        return [
            *super()._get_translation_frontend_modules_name(),
            "field_service_reports",
        ]
