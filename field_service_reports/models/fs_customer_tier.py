from odoo import fields, models


class FsCustomerTier(models.Model):
    """Whether this tier's signatures are confirmed by a code texted to the
    signer's mobile. Kept here, not in field_service_sla: only the signed
    documents use it."""

    _inherit = "fs.customer.tier"

    fs_sign_code = fields.Boolean(
        "Signature confirmed by SMS code",
        help="Before a contact of a customer of this tier signs a document, "
        "on the technician's phone or from a link, a one-time code is texted "
        "to the contact's mobile and typed in: whoever does not hold that "
        "phone cannot sign in the contact's name. Contacts without a mobile "
        "number sign without a code.",
    )
