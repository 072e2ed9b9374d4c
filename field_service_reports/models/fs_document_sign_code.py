import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.field_service_sla.sla_core.phones import mobile_number

from ..reports_core import sign_codes as codes
from ..reports_core.documents import DocumentError


class FsDocumentSignCode(models.Model):
    """A one-time code texted to a customer's contact to confirm that the
    person signing a document holds the contact's phone (see
    reports_core/sign_codes.py for the rules). Only its keyed hash is kept; the
    code itself exists only in the SMS. Written and read by the signing
    methods only, under sudo: no user reads it (the SLA administrators may,
    to see attempts)."""

    _name = "fs.document.sign.code"
    _description = "One-time signing code"
    _order = "id desc"

    document_id = fields.Many2one(
        "fs.document", required=True, index=True, ondelete="cascade", readonly=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Texted to",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    number = fields.Char("Mobile number", required=True, readonly=True)
    purpose = fields.Selection(
        [("sign", "Sign"), ("decline", "Decline")],
        string="Texted to confirm",
        required=True,
        default="sign",
        readonly=True,
        help="What the code was texted for: a code texted to sign does not "
        "decline, nor the other way round.",
    )
    code_hash = fields.Char("Code hash", required=True, readonly=True)
    salt = fields.Char("Salt", required=True, readonly=True)
    sent_on = fields.Datetime("Sent on", required=True, readonly=True)
    attempts = fields.Integer("Wrong attempts", readonly=True)
    used_on = fields.Datetime("Used on", readonly=True)

    @api.model
    def _fs_key(self):
        return self.env["ir.config_parameter"].sudo().get_param("database.secret")

    @api.model
    def _fs_number(self, partner):
        return mobile_number(partner.sudo().phone)

    @api.model
    def _fs_required(self, document, partner):
        """A code confirms the signature when the customer's tier asks for
        one and the signer's mobile number is known."""
        tier = document.sudo().partner_id.commercial_partner_id.customer_tier_id
        return bool(tier.fs_sign_code and partner and self._fs_number(partner))

    @api.model
    def _fs_latest(self, document, partner, purpose="sign"):
        return self.sudo().search(
            [
                ("document_id", "=", document.id),
                ("partner_id", "=", partner.id),
                ("purpose", "=", purpose),
            ],
            order="id desc",
            limit=1,
        )

    def _fs_message(self, code, document, **values):
        _ = self.env._
        messages = {
            "code_none": _(
                "%(document)s: ask for the code first; it is texted to the "
                "contact's mobile."
            ),
            "code_used": _("%(document)s: this code was used; ask for a new one."),
            "code_expired": _(
                "%(document)s: the code expired (it is valid %(minutes)s "
                "minutes); ask for a new one."
            ),
            "code_locked": _(
                "%(document)s: the code was typed wrong too often; ask for a new one."
            ),
            "code_empty": _("%(document)s: type the code texted to %(number)s."),
            "code_wrong": _(
                "%(document)s: the code is wrong (%(left)s attempts left)."
            ),
            "code_too_soon": _(
                "%(document)s: a code was just sent; wait %(seconds)s seconds "
                "before asking for another."
            ),
            "code_too_many": _(
                "%(document)s: too many codes were sent for this document; "
                "try again in %(seconds)s seconds."
            ),
            "code_no_mobile": _(
                "%(document)s: %(name)s has no mobile number to text a code to."
            ),
        }
        return messages[code] % {
            "document": document.name,
            "minutes": int(codes.LIFETIME.total_seconds() // 60),
            "number": "",
            "left": 0,
            "seconds": 0,
            "name": "",
            **values,
        }

    @api.model
    def _fs_send(self, document, partner, ip=False, purpose="sign"):
        """Text a new code to ``partner``'s mobile for ``document``, to sign
        it or to decline it (``purpose``: the SMS says which); refuses
        without a mobile number and beyond the sending rate (codes of both
        purposes count). The SMS goes through Odoo's SMS queue (its cron,
        triggered at once), hence the company's SMS provider. Returns the
        masked number."""
        number = self._fs_number(partner)
        if not number:
            raise UserError(
                self._fs_message("code_no_mobile", document, name=partner.name)
            )
        now = fields.Datetime.now()
        # one sender at a time per document: the rate holds under
        # concurrent requests
        document.sudo().lock_for_update()
        earlier = self.sudo().search(
            [
                ("document_id", "=", document.id),
                ("sent_on", ">", now - timedelta(hours=1)),
            ]
        )
        sent = earlier.mapped("sent_on")
        try:
            codes.check_send(sent, now)
        except DocumentError as error:
            raise UserError(
                self._fs_message(
                    error.code, document, seconds=codes.wait_seconds(sent, now)
                )
            ) from None
        code = codes.new_code()
        salt = secrets.token_hex(8)
        self.sudo().create(
            {
                "document_id": document.id,
                "partner_id": partner.id,
                "number": number,
                "code_hash": codes.hash_code(code, self._fs_key(), salt),
                "salt": salt,
                "sent_on": now,
                "purpose": purpose,
            }
        )
        lang = partner.lang or document.lang or self.env.lang
        _ = self.with_context(lang=lang).env._
        values = {
            "company": document.company_id.name or "",
            "code": code,
            "document": document.name,
            "minutes": int(codes.LIFETIME.total_seconds() // 60),
        }
        body = (
            _(
                "%(company)s: %(code)s is your code to decline %(document)s. "
                "It is valid %(minutes)s minutes. Do not give it to anyone, "
                "our staff included.",
                **values,
            )
            if purpose == "decline"
            else _(
                "%(company)s: %(code)s is your code to sign %(document)s. It is "
                "valid %(minutes)s minutes. Do not give it to anyone, our staff "
                "included.",
                **values,
            )
        )
        # not through the chatter: the message would show the code to staff
        self.env["sms.sms"].sudo().create(
            {"number": number, "body": body, "partner_id": partner.id}
        )
        masked = codes.mask_number(number)
        note = (
            self.env._("%(number)s, to decline", number=masked)
            if purpose == "decline"
            else masked
        )
        document._fs_log(
            "code_sent", partner_id=partner.id, name=partner.name, ip=ip, note=note
        )
        return masked

    @api.model
    def _fs_check(self, document, partner, given, count=True, purpose="sign"):
        """The refusal's message of ``given`` for ``document`` and
        ``partner`` (False: the code is right). A wrong code counts as an
        attempt (``count``): the caller returns the message without raising,
        so that the attempt is kept."""
        latest = self._fs_latest(document, partner, purpose)
        try:
            codes.check_code(
                given,
                (latest.code_hash, latest.salt) if latest else None,
                self._fs_key(),
                now=fields.Datetime.now(),
                sent_on=latest.sent_on,
                attempts=latest.attempts,
                used=bool(latest.used_on),
            )
        except DocumentError as error:
            left = 0
            if error.code == "code_wrong" and count:
                latest.attempts += 1
                left = max(0, codes.MAX_ATTEMPTS - latest.attempts)
                document._fs_log(
                    "code_refused",
                    partner_id=partner.id,
                    name=partner.name,
                    ip=document._fs_request_ip() or False,
                )
            return self._fs_message(
                error.code,
                document,
                left=left,
                number=codes.mask_number(latest.number or ""),
            )
        return False

    @api.model
    def _fs_use(self, document, partner, given, purpose="sign"):
        """Spend the right code for the signature, or the decline (refuses
        any other)."""
        message = self._fs_check(document, partner, given, count=False, purpose=purpose)
        if message:
            raise UserError(message)
        latest = self._fs_latest(document, partner, purpose)
        latest.used_on = fields.Datetime.now()
        return latest
