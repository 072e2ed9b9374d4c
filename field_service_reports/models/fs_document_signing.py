from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.http import request

from ..reports_core import documents as core
from ..reports_core import sign_codes as codes


class FsDocument(models.Model):
    """Asking the customer to sign, signing and declining: who may
    sign, and what a signature freezes.

    The signer is a person of the customer. On site, one of its contacts
    (or one added with a mobile number) and the name given is that
    contact's: the technician holds the device and may not write another
    name in the customer's box. In the portal, whoever holds the link signs
    in the name of the contact it was sent to: a name that is not the
    contact's is flagged, and where the customer's tier asks for it, a code
    texted to the contact's mobile proves that the signer holds that phone
    (fs.document.sign.code)."""

    _inherit = "fs.document"

    signed_with_code = fields.Boolean(
        "Confirmed by SMS code",
        copy=False,
        readonly=True,
        help="The signer typed the one-time code texted to the contact's mobile.",
    )
    signer_name_differs = fields.Boolean(
        "Name differs from the contact",
        copy=False,
        readonly=True,
        help="The name given when signing is not that of the contact the "
        "signature is recorded for: someone else may have signed with the "
        "contact's link. See the audit trail.",
    )

    def _fs_default_signer(self):
        """The customer's contact expected to sign: the person who reported
        the fault, else the location's primary contact; never the customer
        company itself (empty: the signer is chosen)."""
        self.ensure_one()
        source = self._fs_source().sudo()
        tickets = {
            "helpdesk.ticket": lambda s: s,
            "fsm.order": lambda s: s.ticket_id,
            "fs.inspection": lambda s: s.fsm_order_id.ticket_id,
        }
        ticket = tickets.get(source._name, lambda s: s.env["helpdesk.ticket"])(source)
        reporter = ticket.partner_id.filtered(lambda p: not p.is_company)
        location = (
            source.location_id if "location_id" in source._fields else source.browse()
        )
        contact = location.contact_id if location else self.env["res.partner"]
        return (reporter or contact).filtered(lambda p: not p.is_company)

    def action_ask_signature(self):
        """Send the document to the customer to sign (on site or in the
        portal, through its access token)."""
        for doc in self:
            doc.check_access("write")
            if doc.kind not in core.SIGNED_KINDS or doc.state != core.DRAFT:
                raise UserError(
                    self.env._(
                        "%(document)s is %(state)s: only a draft document the "
                        "customer signs can be sent for signature.",
                        document=doc.name,
                        state=doc._fs_state_label(),
                    )
                )
            doc._fs_check_ready()
            doc._fs_content()
            doc._fs_check_sendable()
            doc._fs_engine_write({"state": core.TO_SIGN})
            doc._portal_ensure_token()
            doc._fs_log("sent", **doc._fs_send_link())
        return True

    def _fs_check_sendable(self):
        """Hook: refuse to send a document its customer cannot be reached
        for, before anything changes."""

    def _fs_send_link(self):
        """Hook: send the customer the document's portal link; returns what
        the audit trail keeps of it (fs.document.event values)."""
        return {}

    def action_back_to_draft(self):
        for doc in self:
            doc.check_access("write")
            if doc.state != core.TO_SIGN:
                raise UserError(
                    self.env._(
                        "%(document)s is %(state)s: only a document waiting "
                        "for the customer's signature goes back to draft.",
                        document=doc.name,
                        state=doc._fs_state_label(),
                    )
                )
            doc._fs_engine_write({"state": core.DRAFT})
            doc._fs_log("withdrawn")
        return True

    def _fs_refusal(self, code):
        messages = {
            "not_signed_kind": self.env._(
                "%(document)s is approved in house, never signed by the customer."
            ),
            "already_signed": self.env._(
                "%(document)s is already signed: a second signature is refused."
            ),
            "not_open": self.env._(
                "%(document)s is %(state)s: it can no longer be signed or declined."
            ),
            "empty_signature": self.env._(
                "%(document)s: the customer has not signed (the signature is empty)."
            ),
            "empty_name": self.env._(
                "%(document)s: enter the name of the person who signs."
            ),
            "staff_signer": self.env._(
                "%(document)s: the customer signs, never the staff for the "
                "customer. %(name)s is a staff member: hand the device to the "
                "customer and enter the customer's name."
            ),
            "empty_reason": self.env._(
                "%(document)s: say why the customer declines to sign."
            ),
            "changed": self.env._(
                "%(document)s changed since it was shown to the customer: show "
                "it again before signing."
            ),
            "not_customer_contact": self.env._(
                "%(document)s: %(name)s is not a contact of the customer %(customer)s."
            ),
            "signer_not_person": self.env._(
                "%(document)s: a person of the customer %(customer)s signs, "
                "not the company: choose one of its contacts, or add one with "
                "a mobile number."
            ),
            "name_not_contact": self.env._(
                "%(document)s: the name given (%(name)s) is not that of the "
                "contact %(contact)s who signs. Choose the contact who signs, "
                "or add them."
            ),
        }
        return messages[code]

    def _fs_raise(self, code, **values):
        raise UserError(
            self._fs_refusal(code)
            % {
                "document": self.name,
                "state": self._fs_state_label(),
                "customer": self.partner_id.display_name,
                "name": "",
                **values,
            }
        )

    @api.model
    def _fs_request_ip(self):
        try:
            return request.httprequest.remote_addr if request else False
        except RuntimeError:
            return False

    def _fs_staff_names(self, witness):
        names = [witness.name] if witness else []
        if not self.env.user.share:
            names.append(self.env.user.name)
        return names

    def _fs_check_signer(self, name, partner, witness):
        """The signer is the customer: never a staff member, by name or by
        contact; a person among the contacts of the document's customer;
        on site (``witness``), the contact chosen, under their own name."""
        staff = self._fs_staff_names(witness)
        customer = self.partner_id.commercial_partner_id
        if partner:
            if partner.sudo().user_ids.filtered(lambda u: not u.share):
                self._fs_raise("staff_signer", name=partner.name)
            if customer and partner.commercial_partner_id != customer:
                self._fs_raise("not_customer_contact", name=partner.name)
        if core.normalize_name(name) in {core.normalize_name(n) for n in staff}:
            self._fs_raise("staff_signer", name=name)
        if (witness and not partner) or (
            partner and (partner.is_company or partner == customer)
        ):
            self._fs_raise("signer_not_person")
        if witness and not codes.names_match(name, partner.name):
            self._fs_raise("name_not_contact", name=name, contact=partner.name)

    def _fs_confirm_signer(self, name, partner, code):
        """Spend the signing code where one is required (refusing any
        other); what the signature records of how sure it is of the signer,
        and the audit trail's note."""
        Code = self.env["fs.document.sign.code"]
        with_code = bool(partner) and Code._fs_required(self, partner)
        notes = []
        if with_code:
            used = Code._fs_use(self, partner, code)
            notes.append(
                self.env._(
                    "Confirmed by the code texted to %(number)s.",
                    number=codes.mask_number(used.number),
                )
            )
        differs = bool(partner) and not codes.names_match(name, partner.name)
        if differs:
            notes.append(
                self.env._(
                    "The name given is not that of the contact %(contact)s.",
                    contact=partner.name,
                )
            )
        if self.env.user._is_public():
            notes.append(self.env._("Signed with the link, not logged in."))
        values = {"signed_with_code": with_code, "signer_name_differs": differs}
        return values, " ".join(notes)

    def _sign(
        self,
        signature,
        name,
        ip=None,
        *,
        partner=None,
        witness=None,
        shown_hash=None,
        answers=None,
        code=None,
    ):
        """The customer signs: in the back end on a staff member's device
        (``witness``), or in the portal (the caller checked the access token
        and calls on a sudo record). ``shown_hash`` is the content hash of
        what the customer was shown; ``answers`` the customer's own inputs
        (the scores of the quality form); ``code`` the one typed from the
        SMS, where the customer's tier asks for one. Freezes the document:
        the content and its hash, the PDF as signed and its hash are
        stored."""
        self.ensure_one()
        self.check_access("write")
        name = (name or "").strip()
        try:
            core.check_sign(
                self.kind, self.state, signature, name, self._fs_staff_names(witness)
            )
        except core.DocumentError as error:
            self._fs_raise(error.code, name=name)
        self._fs_check_signer(name, partner, witness)
        self._fs_check_ready()
        if shown_hash and shown_hash != core.content_hash(self._fs_content()):
            self._fs_raise("changed")
        signer_values, note = self._fs_confirm_signer(name, partner, code)
        doc = self._fs_api()
        doc._fs_take_answers(answers or {})
        content = core.canonical_json(doc._fs_content())
        ip = ip or self._fs_request_ip() or False
        doc._fs_engine_write(
            {
                "signature": signature,
                "signed_by": name,
                "signer_partner_id": partner.id if partner else False,
                "signed_on": fields.Datetime.now(),
                "signed_ip": ip,
                "signed_on_site": bool(witness),
                "witness_user_id": witness.id if witness else False,
                "content_json": content,
                "content_hash": core.sha256_hex(content),
                **signer_values,
            }
        )
        doc._fs_freeze(core.SIGNED)
        doc._fs_log(
            "signed",
            name=name,
            partner_id=partner.id if partner else False,
            ip=ip,
            on_site=bool(witness),
            note=note or False,
        )
        body = (
            self.env._(
                "Signed on site by %(name)s on the device of %(witness)s. "
                "Content SHA-256: %(hash)s",
                name=name,
                witness=witness.name,
                hash=doc.content_hash,
            )
            if witness
            else self.env._(
                "Signed by %(name)s. Content SHA-256: %(hash)s",
                name=name,
                hash=doc.content_hash,
            )
        )
        if note:
            body = f"{body}. {note}"
        doc.message_post(body=body, message_type="notification")
        return True

    def _fs_take_answers(self, answers):
        """Hook: record the customer's own inputs of this kind of document
        (refusing them incomplete) before the content is frozen."""
        if answers:
            raise UserError(
                self.env._(
                    "%(document)s asks the customer nothing.", document=self.name
                )
            )

    def _decline(
        self, reason, ip=None, *, partner=None, witness=None, name=None, code=None
    ):
        """The customer refuses to sign, for ``reason``: the document is
        final; a new one is printed if the work is redone. Away from the
        staff (the portal), a decline is as sure of who declines as a
        signature: where the customer's tier asks for a code, ``code`` is the
        one texted to the contact's mobile to decline."""
        self.ensure_one()
        self.check_access("write")
        reason = (reason or "").strip()
        try:
            core.check_decline(self.kind, self.state, reason)
        except core.DocumentError as error:
            self._fs_raise(error.code)
        name = (name or (partner and partner.name) or "").strip()
        ip = ip or self._fs_request_ip() or False
        notes = [reason]
        Code = self.env["fs.document.sign.code"]
        if not witness and partner and Code._fs_required(self, partner):
            used = Code._fs_use(self, partner, code, purpose="decline")
            notes.append(
                self.env._(
                    "Confirmed by the code texted to %(number)s.",
                    number=codes.mask_number(used.number),
                )
            )
        if self.env.user._is_public():
            # a forwarded link declines in the addressee's name: say so
            notes.append(self.env._("Declined with the link, not logged in."))
        note = "\n".join(notes)
        self._fs_engine_write(
            {
                "state": core.DECLINED,
                "declined_reason": reason,
                "declined_on": fields.Datetime.now(),
                "declined_by": name,
                "declined_partner_id": partner.id if partner else False,
            }
        )
        self._fs_log(
            "declined",
            name=name,
            partner_id=partner.id if partner else False,
            ip=ip,
            on_site=bool(witness),
            note=note,
        )
        self.sudo().message_post(
            body=self.env._(
                "Declined by %(name)s: %(reason)s", name=name or "-", reason=reason
            ),
            message_type="notification",
        )
        return True

    def action_open_sign_wizard(self):
        self.ensure_one()
        try:
            core.check_sign(self.kind, self.state, "-", "-")
        except core.DocumentError as error:
            self._fs_raise(error.code)
        self._fs_check_ready()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Customer signature"),
            "res_model": "fs.document.sign.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_document_id": self.id},
        }
