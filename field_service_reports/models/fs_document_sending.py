from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.field_service_sla.sla_core.phones import mobile_number

MAIL_TEMPLATE = "field_service_reports.mail_template_fs_document_sign"
SMS_TEMPLATE = "field_service_reports.sms_template_fs_document_sign"


class FsDocument(models.Model):
    """Sending a document to the customer to sign remotely: the link to its
    portal page (``/my/service-documents/<id>?access_token=<token>``) goes
    to one contact of the customer by e-mail, and by SMS when the contact's
    phone is a mobile number. The portal page is where the customer reads,
    signs or declines it."""

    _inherit = "fs.document"

    send_to_id = fields.Many2one(
        "res.partner",
        string="Send to",
        copy=False,
        tracking=True,
        domain="[('commercial_partner_id', '=', partner_id), "
        "('is_company', '=', False)]",
        help="The customer's contact who receives the link to read and sign "
        "the document in the portal: by e-mail, and by SMS when the contact's "
        "phone is a mobile number. Empty: the person who reported the fault, "
        "else the site's contact.",
    )
    sent_on = fields.Datetime("Sent on", copy=False, readonly=True)

    @api.onchange("partner_id")
    def _onchange_partner_id_send_to(self):
        if self.send_to_id.commercial_partner_id != self.partner_id:
            self.send_to_id = False

    def _fs_recipient(self):
        self.ensure_one()
        return self.send_to_id or self._fs_default_signer()

    def _fs_check_sendable(self):
        super()._fs_check_sendable()
        contact = self._fs_recipient().sudo()
        customer = self.partner_id.commercial_partner_id
        # a person: whoever signs with the link signs in this contact's name
        if (
            not contact
            or contact.is_company
            or contact.commercial_partner_id != customer
        ):
            raise UserError(
                self.env._(
                    "%(document)s: choose in Send to the contact of %(customer)s "
                    "who receives the link to sign.",
                    document=self.name,
                    customer=customer.display_name,
                )
            )
        if not (contact.email or mobile_number(contact.phone)):
            raise UserError(
                self.env._(
                    "%(document)s cannot be sent: %(contact)s has no e-mail "
                    "address and no mobile number. Add one to the contact, or "
                    "have the customer sign on site.",
                    document=self.name,
                    contact=contact.display_name,
                )
            )

    def _fs_send_link(self):
        """E-mail the link to the contact (from the document's chatter, in the
        document's language) and text it to the contact's mobile; the SMS is
        queued for Odoo's SMS cron."""
        values = super()._fs_send_link()
        contact = self._fs_recipient().sudo()
        api_doc = self._fs_api()
        api_doc._fs_engine_write(
            {"send_to_id": contact.id, "sent_on": fields.Datetime.now()}
        )
        # the audit trail speaks the document's language: the customer reads it
        env = self.with_context(lang=self.lang or self.env.lang).env
        channels = []
        if contact.email:
            api_doc.message_post_with_source(
                MAIL_TEMPLATE,
                subtype_xmlid="mail.mt_comment",
                email_layout_xmlid="mail.mail_notification_light",
                partner_ids=contact.ids,
            )
            channels.append(env._("E-mail to %(email)s", email=contact.email_formatted))
        mobile = mobile_number(contact.phone)
        if mobile:
            api_doc._message_sms_with_template(
                template=self.env.ref(SMS_TEMPLATE),
                partner_ids=contact.ids,
                sms_pid_to_number={contact.id: mobile},
                put_in_queue=True,
            )
            channels.append(env._("SMS to %(number)s", number=mobile))
        return {
            **values,
            "partner_id": contact.id,
            "name": contact.name,
            "note": "; ".join(channels),
        }

    def _notify_get_recipients_groups(self, message, model_description, msg_vals=False):
        """The contact the document was sent to opens it from the e-mail with
        the document's token, as portal.mixin does for a record's customer
        (here the customer company, whose contact receives it)."""
        groups = super()._notify_get_recipients_groups(
            message, model_description, msg_vals=msg_vals
        )
        contact = self.send_to_id if len(self) == 1 else self.send_to_id.browse()
        if not contact:
            return groups
        params = {
            **(msg_vals or {}),
            "access_token": self.sudo()._portal_ensure_token(),
            "pid": contact.id,
            "hash": self._sign_token(contact.id),
        }
        link = self._notify_get_action_link("view", **params)
        send_to = (
            "fs_send_to",
            lambda pdata: pdata["id"] == contact.id,
            {"active": True, "has_button_access": True, "button_access": {"url": link}},
        )
        return [send_to, *groups]

    def _fs_kind_label(self):
        return dict(self._fields["kind"]._description_selection(self.env))[self.kind]

    def _fs_portal_link(self):
        """The link the customer receives: the document's portal page with
        its access token."""
        self.ensure_one()
        return self.get_base_url() + self.get_portal_url()
