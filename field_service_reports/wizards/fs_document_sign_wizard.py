from odoo import api, fields, models

from odoo.addons.field_service_sla.sla_core import documents as core

from ..models.fs_document_quality_form import QUESTIONS, SCORES


class FsDocumentSignWizard(models.TransientModel):
    """The customer signs on the technician's phone: Odoo's signature
    widget, the signer's name and contact. The technician is the witness
    (recorded as such), never the signer."""

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
        domain="['|', ('id', '=', customer_id), "
        "('commercial_partner_id', '=', customer_id)]",
        help="The customer's contact who signs; never a staff member.",
    )
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
            contact = document._fs_default_signer()
            values.setdefault("partner_id", contact.id)
            values.setdefault("signer_name", contact.name)
            values["shown_hash"] = core.content_hash(document._fs_content())
        return values

    def _compute_signature(self):
        self.signature = False

    def _inverse_signature(self):
        for wizard in self:
            wizard.signature_data = wizard.signature

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.partner_id:
            self.signer_name = self.partner_id.name

    def action_sign(self):
        self.ensure_one()
        answers = (
            {name: self[name] for name in (*QUESTIONS, "customer_comment")}
            if self.kind == core.QUALITY_FORM
            else None
        )
        self.document_id._sign(
            self.signature_data,
            self.signer_name,
            partner=self.partner_id,
            witness=self.env.user,
            shown_hash=self.shown_hash,
            answers=answers,
        )
        return self.document_id._fs_form_action()

    def action_decline(self):
        self.ensure_one()
        self.document_id._decline(
            self.decline_reason,
            partner=self.partner_id,
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
