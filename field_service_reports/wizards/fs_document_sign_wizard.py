from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.field_service_sla.sla_core.phones import mobile_number

from ..models.fs_document_quality_form import QUESTIONS, SCORES
from ..reports_core import documents as core


class FsDocumentSignWizard(models.TransientModel):
    """The customer signs on the technician's phone: Odoo's signature
    widget, the signer's name and contact. The technician is the witness
    (recorded as such), never the signer. The signer is a person of the
    customer: one of its contacts, or a new one added here with a mobile
    number; where the customer's tier asks for it and the contact's mobile
    is known, the code texted to it confirms the signature."""

    _name = "fs.document.sign.wizard"
    _description = "Customer signature on site"

    document_id = fields.Many2one(
        "fs.document", string="Customer document", required=True, ondelete="cascade"
    )
    kind = fields.Selection(related="document_id.kind")
    document_name = fields.Char(related="document_id.name", string="Document")
    customer_id = fields.Many2one(related="document_id.partner_id")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer contact",
        domain="[('commercial_partner_id', '=', customer_id), "
        "('id', '!=', customer_id), ('is_company', '=', False)]",
        help="The customer's contact who signs: a person of the customer, "
        "never the company itself nor a staff member.",
    )
    new_contact_name = fields.Char(
        "New contact",
        help="The person signing, when not yet a contact of the customer: "
        "added as one, with the mobile number.",
    )
    new_contact_mobile = fields.Char(
        "Mobile of the new contact",
        help="A mainland mobile number (11 digits from 13x to 19x): "
        "required for a new contact.",
    )
    code_required = fields.Boolean("Code required", compute="_compute_code_required")
    code_sent_to = fields.Char("Code texted to", readonly=True)
    code = fields.Char(
        "Code from the SMS",
        help="The six digits texted to the signer's mobile.",
    )
    code_error = fields.Char("Code refused", readonly=True)
    signer_name = fields.Char(
        "Name of the signer",
        help="As the customer writes it: the person signing now.",
    )
    # What the signature widget draws goes to signature_data and is never
    # read back: the form reloads before the signing call, and the widget
    # would fetch the image from the server while the dialog closes (an
    # aborted load the widget does not survive).
    signature = fields.Binary(
        "Customer signature",
        compute="_compute_signature",
        inverse="_inverse_signature",
    )
    signature_data = fields.Binary(attachment=False)
    shown_hash = fields.Char(
        "Content SHA-256",
        readonly=True,
        help="The fingerprint of the document as shown: signing refuses a "
        "document that changed since.",
    )
    score_response = fields.Selection(SCORES, string="Response in time")
    score_punctuality = fields.Selection(SCORES, string="Kept the appointment")
    score_attitude = fields.Selection(SCORES, string="Attitude and conduct")
    score_skill = fields.Selection(SCORES, string="Technical skill")
    score_result = fields.Selection(SCORES, string="Result of the work")
    customer_comment = fields.Text("Customer comment")
    decline_reason = fields.Text(
        "Reason for not signing",
        help="Fill in only when the customer refuses to sign.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        document = self.env["fs.document"].browse(
            values.get("document_id") or self.env.context.get("default_document_id")
        )
        if document:
            # a person of the customer, never the company's name
            contact = document._fs_default_signer().filtered(lambda p: not p.is_company)
            values.setdefault("partner_id", contact.id)
            values.setdefault("signer_name", contact.name or False)
            values["shown_hash"] = core.content_hash(document._fs_content())
        return values

    @api.depends("document_id", "partner_id", "new_contact_mobile")
    def _compute_code_required(self):
        Code = self.env["fs.document.sign.code"]
        for wizard in self:
            tier = wizard.document_id.sudo().partner_id.customer_tier_id
            if wizard.partner_id:
                wizard.code_required = Code._fs_required(
                    wizard.document_id, wizard.partner_id
                )
            else:
                wizard.code_required = bool(
                    tier.fs_sign_code and mobile_number(wizard.new_contact_mobile)
                )

    def _compute_signature(self):
        self.signature = False

    def _inverse_signature(self):
        for wizard in self:
            wizard.signature_data = wizard.signature

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.partner_id:
            self.signer_name = self.partner_id.name
            self.new_contact_name = self.new_contact_mobile = False
        self.code_sent_to = self.code = self.code_error = False

    @api.onchange("new_contact_name")
    def _onchange_new_contact_name(self):
        if self.new_contact_name and not self.partner_id:
            self.signer_name = self.new_contact_name

    def _fs_signer(self):
        """The contact who signs: the one chosen, or the new one, added now
        as a contact of the customer (with its mobile number)."""
        self.ensure_one()
        if self.partner_id or not (self.new_contact_name or "").strip():
            return self.partner_id
        document = self.document_id
        document.check_access("write")
        name = self.new_contact_name.strip()
        mobile = mobile_number(self.new_contact_mobile)
        if not mobile:
            raise UserError(
                self.env._(
                    "%(name)s: a new contact needs a mobile number (11 digits "
                    "from 13x to 19x), to confirm who signs.",
                    name=name,
                )
            )
        customer = document.partner_id.commercial_partner_id
        # a technician may not add contacts in general: only this one, a
        # person of the document's customer, recorded in the audit trail
        contact = (
            self.env["res.partner"]
            .sudo()
            .create(
                {
                    "name": name,
                    "phone": mobile,
                    "parent_id": customer.id,
                    "type": "contact",
                    "lang": customer.lang,
                }
            )
        )
        document._fs_log(
            "contact_added",
            partner_id=contact.id,
            name=name,
            on_site=True,
            note=mobile,
        )
        self.write(
            {
                "partner_id": contact.id,
                "new_contact_name": False,
                "new_contact_mobile": False,
            }
        )
        return contact

    def _fs_reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Customer signature"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "context": self.env.context,
        }

    def action_send_code(self):
        """Text a code to the signer's mobile; the form opens again for the
        customer to type it."""
        self.ensure_one()
        signer = self._fs_signer()
        if not signer:
            raise UserError(
                self.env._("Choose the customer's contact who signs, or add one.")
            )
        masked = self.env["fs.document.sign.code"]._fs_send(self.document_id, signer)
        self.write({"code_sent_to": masked, "code": False, "code_error": False})
        return self._fs_reopen()

    def action_sign(self):
        self.ensure_one()
        signer = self._fs_signer()
        if signer and self.code_required:
            # a wrong code is counted and said, not raised: the count stays
            error = self.env["fs.document.sign.code"]._fs_check(
                self.document_id, signer, self.code
            )
            if error:
                self.write({"code_error": error, "code": False})
                return self._fs_reopen()
        answers = (
            {name: self[name] for name in (*QUESTIONS, "customer_comment")}
            if self.kind == core.QUALITY_FORM
            else None
        )
        self.document_id._sign(
            self.signature_data,
            self.signer_name,
            partner=signer,
            witness=self.env.user,
            shown_hash=self.shown_hash,
            answers=answers,
            code=self.code,
        )
        return self.document_id._fs_form_action()

    def action_decline(self):
        self.ensure_one()
        self.document_id._decline(
            self.decline_reason,
            partner=self._fs_signer(),
            witness=self.env.user,
            name=self.signer_name,
        )
        return self.document_id._fs_form_action()

    def action_read_document(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/report/pdf/field_service_reports.report_fs_document/"
            f"{self.document_id.id}",
            "target": "new",
        }
