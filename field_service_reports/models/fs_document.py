import json

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from odoo.addons.field_service_sla.sla_core import documents as core

KINDS = [
    (core.CONFIRMATION, "On-site fault handling confirmation"),
    (core.FAULT_REPORT_TECH, "Fault handling report (technical)"),
    (core.FAULT_REPORT_CUSTOMER, "Fault handling report (customer)"),
    (core.VISIT_REPORT, "Visit report"),
    (core.INSPECTION_RECORD, "Inspection record"),
    (core.QUALITY_FORM, "Service quality supervision form"),
]
STATES = [
    (core.DRAFT, "Draft"),
    (core.TO_SIGN, "To sign"),
    (core.SIGNED, "Signed"),
    (core.DECLINED, "Declined"),
    (core.APPROVED, "Approved"),
]
# the field holding the record each kind is printed from
SOURCE_FIELD = {
    core.CONFIRMATION: "order_id",
    core.QUALITY_FORM: "order_id",
    core.FAULT_REPORT_TECH: "ticket_id",
    core.FAULT_REPORT_CUSTOMER: "ticket_id",
    core.VISIT_REPORT: "visit_id",
    core.INSPECTION_RECORD: "inspection_id",
}
SOURCE_FIELDS = ("order_id", "ticket_id", "visit_id", "inspection_id")
NAME_PREFIX = {
    core.CONFIRMATION: "CONF",
    core.QUALITY_FORM: "QSF",
    core.FAULT_REPORT_TECH: "FRT",
    core.FAULT_REPORT_CUSTOMER: "FRC",
    core.VISIT_REPORT: "VIS",
    core.INSPECTION_RECORD: "INS",
}
# What each document shows of its source. Once the document is signed (or
# approved) these fields of the source no longer change: the guard of the
# source's write (see _fs_guard_source_write) names the document.
SHOWN_SOURCE_FIELDS = {
    core.CONFIRMATION: {
        "ticket_id",
        "location_id",
        "person_id",
        "person_ids",
        "fs_arrival_date",
        "fs_fault_found",
        "fs_cause_category",
        "fs_cause_other",
        "fs_work_result",
        "fs_work_result_other",
        "fs_corrective_measures",
        "fs_customer_opinion",
        "fs_replaced_equipment_ids",
    },
    core.QUALITY_FORM: {"ticket_id", "location_id", "person_id", "person_ids"},
    core.FAULT_REPORT_TECH: {
        "partner_id",
        "service_line_id",
        "reported_date",
        "fault_confirmed_date",
        "restored_date",
    },
    core.VISIT_REPORT: {
        "partner_id",
        "user_id",
        "planned_date",
        "state",
        "quality_told",
        "quality_note",
        "rates_confirmed",
        "confirmed_fault_rate",
        "confirmed_repeat_rate",
        "new_needs",
    },
    core.INSPECTION_RECORD: {
        "location_id",
        "service_line_id",
        "template_id",
        "user_id",
        "planned_date",
        "date_start",
        "date_end",
        "state",
        "note",
        "item_ids",
        "reading_ids",
        "finding_ids",
    },
}
SHOWN_SOURCE_FIELDS[core.FAULT_REPORT_CUSTOMER] = SHOWN_SOURCE_FIELDS[
    core.FAULT_REPORT_TECH
]
# Written only by the methods that ask for, sign, decline and approve a
# document (under sudo, with the fs_document_api context): never by a client.
PROTECTED_FIELDS = {
    "name",
    "kind",
    *SOURCE_FIELDS,
    "origin_id",
    "state",
    "signature",
    "signed_by",
    "signer_partner_id",
    "signed_on",
    "signed_ip",
    "signed_on_site",
    "witness_user_id",
    "declined_reason",
    "declined_on",
    "declined_by",
    "declined_partner_id",
    "sent_on",
    "approved_by_id",
    "approved_on",
    "content_json",
    "content_hash",
    "pdf_attachment_id",
    "pdf_hash",
    # the customer's answers (quality form): they come with the signature
    "score_response",
    "score_punctuality",
    "score_attitude",
    "score_skill",
    "score_result",
    "customer_comment",
}
# final: nothing of their content changes any more
CLOSED_STATES = (*core.FROZEN_STATES, core.DECLINED)
REPORT = "field_service_reports.action_report_fs_document"
REPORT_NAME = "field_service_reports.report_fs_document"


class FsDocument(models.Model):
    """A customer document printed from a ticket, a field order, an
    inspection or a visit, and its signature. Signing (or approving, for the
    technical fault report) freezes it: the values it shows are kept as a
    canonical JSON with their SHA-256, the PDF as signed is archived with its
    own SHA-256, and no later change of the document or of what it shows of
    its source is accepted."""

    _name = "fs.document"
    _description = "Customer document"
    _inherit = ["mail.thread", "mail.activity.mixin", "portal.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        "Number", readonly=True, copy=False, default="/", index="trigram"
    )
    kind = fields.Selection(KINDS, required=True, readonly=True, index=True)
    state = fields.Selection(
        STATES,
        required=True,
        default=core.DRAFT,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    order_id = fields.Many2one(
        "fsm.order",
        string="Field order",
        readonly=True,
        ondelete="restrict",
        index="btree_not_null",
    )
    ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Ticket",
        readonly=True,
        ondelete="restrict",
        index="btree_not_null",
    )
    inspection_id = fields.Many2one(
        "fs.inspection",
        string="Inspection",
        readonly=True,
        ondelete="restrict",
        index="btree_not_null",
    )
    visit_id = fields.Many2one(
        "fs.visit",
        string="Visit",
        readonly=True,
        ondelete="restrict",
        index="btree_not_null",
    )
    origin_id = fields.Many2one(
        "fs.document",
        string="Technical report",
        readonly=True,
        help="The approved technical report this customer version was made from.",
    )
    source_name = fields.Char("Printed from", compute="_compute_source_name")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        compute="_compute_from_source",
        store=True,
        index=True,
    )
    company_id = fields.Many2one(
        "res.company",
        compute="_compute_from_source",
        store=True,
        index=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        tracking=True,
    )
    lang = fields.Selection(
        "_lang_get",
        string="Language",
        help="The document prints in this language; the customer's by default.",
    )
    # --- signature --------------------------------------------------------
    signature = fields.Image(
        copy=False, attachment=True, max_width=1024, max_height=1024, readonly=True
    )
    signed_by = fields.Char("Signed by", copy=False, readonly=True)
    signer_partner_id = fields.Many2one(
        "res.partner", string="Signer", copy=False, readonly=True
    )
    signed_on = fields.Datetime("Signed on", copy=False, readonly=True)
    signed_ip = fields.Char("Signed from IP", copy=False, readonly=True)
    signed_on_site = fields.Boolean(
        "Signed on site",
        copy=False,
        readonly=True,
        help="The customer signed on the technician's device.",
    )
    witness_user_id = fields.Many2one(
        "res.users",
        string="Witness",
        copy=False,
        readonly=True,
        help="The staff member on whose device the customer signed.",
    )
    declined_reason = fields.Text("Reason declined", copy=False, readonly=True)
    declined_on = fields.Datetime("Declined on", copy=False, readonly=True)
    declined_by = fields.Char("Declined by", copy=False, readonly=True)
    declined_partner_id = fields.Many2one(
        "res.partner", string="Declined by contact", copy=False, readonly=True
    )
    approved_by_id = fields.Many2one(
        "res.users", string="Approved by", copy=False, readonly=True
    )
    approved_on = fields.Datetime("Approved on", copy=False, readonly=True)
    # --- what was signed ----------------------------------------------------
    content_json = fields.Text(
        "Signed content",
        copy=False,
        readonly=True,
        help="The values the document showed when it was signed or approved, "
        "as canonical JSON: the document prints from them ever after.",
    )
    content_hash = fields.Char(
        "Content SHA-256",
        copy=False,
        readonly=True,
        help="SHA-256 of the signed content (UTF-8 of the canonical JSON).",
    )
    pdf_attachment_id = fields.Many2one(
        "ir.attachment",
        string="Signed PDF",
        copy=False,
        readonly=True,
        index="btree_not_null",
    )
    pdf_hash = fields.Char(
        "PDF SHA-256",
        copy=False,
        readonly=True,
        help="SHA-256 of the archived PDF as signed.",
    )
    event_ids = fields.One2many(
        "fs.document.event", "document_id", string="Audit trail", readonly=True
    )
    is_signed_kind = fields.Boolean(compute="_compute_kind_flags")
    is_approved_kind = fields.Boolean(compute="_compute_kind_flags")

    @api.model
    def _lang_get(self):
        return self.env["res.lang"].get_installed()

    # ------------------------------------------------------------------
    # computes
    # ------------------------------------------------------------------
    @api.depends(
        "order_id.fs_customer_id",
        "order_id.location_id.owner_id",
        "order_id.company_id",
        "ticket_id.service_line_id.partner_id",
        "ticket_id.partner_id",
        "ticket_id.company_id",
        "inspection_id.partner_id",
        "inspection_id.company_id",
        "visit_id.partner_id",
        "visit_id.company_id",
    )
    def _compute_from_source(self):
        for doc in self:
            source = doc._fs_source().sudo()
            doc.company_id = source.company_id
            doc.partner_id = doc._fs_customer(source)

    @api.model
    def _fs_customer(self, source):
        if source._name == "fsm.order":
            partner = source.fs_customer_id or source.location_id.owner_id
        elif source._name == "helpdesk.ticket":
            partner = source.service_line_id.partner_id or source.partner_id
        else:
            partner = source.partner_id
        return partner.commercial_partner_id

    @api.depends(*SOURCE_FIELDS)
    def _compute_source_name(self):
        for doc in self:
            doc.source_name = doc._fs_source().sudo().display_name

    @api.depends("kind")
    def _compute_kind_flags(self):
        for doc in self:
            doc.is_signed_kind = doc.kind in core.SIGNED_KINDS
            doc.is_approved_kind = doc.kind in core.APPROVED_KINDS

    def _compute_access_url(self):
        super()._compute_access_url()
        for doc in self:
            doc.access_url = f"/my/service-documents/{doc.id}"

    # ------------------------------------------------------------------
    # CRUD and the freeze
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            kind = vals.get("kind")
            given = [f for f in SOURCE_FIELDS if vals.get(f)]
            if kind not in SOURCE_FIELD or given != [SOURCE_FIELD[kind]]:
                raise ValidationError(
                    self.env._(
                        "A document is printed from exactly one record, the "
                        "one its kind is made from."
                    )
                )
            vals["name"] = "{}/{}".format(
                NAME_PREFIX[kind],
                self.env["ir.sequence"].sudo().next_by_code("fs.document") or "/",
            )
        docs = super().create(vals_list)
        for doc in docs.filtered(lambda d: not d.lang):
            doc.lang = doc.partner_id.lang or self.env.user.lang
        for doc in docs:
            doc._fs_log("created")
        return docs

    def write(self, vals):
        if not (self.env.su and self.env.context.get("fs_document_api")):
            protected = PROTECTED_FIELDS & vals.keys()
            if protected:
                raise UserError(
                    self.env._(
                        "%(fields)s of a document change only by asking the "
                        "customer to sign it, signing, declining or approving it.",
                        fields=self._fs_field_names(protected),
                    )
                )
        content = vals.keys() - self._fs_free_fields()
        if content:
            for doc in self.filtered(lambda d: d.state in CLOSED_STATES):
                raise UserError(doc._fs_closed_message())
        return super().write(vals)

    def unlink(self):
        for doc in self.filtered(lambda d: d.state != core.DRAFT):
            raise UserError(
                self.env._(
                    "%(document)s is %(state)s: only a draft document can be deleted.",
                    document=doc.name,
                    state=doc._fs_state_label(),
                )
            )
        return super().unlink()

    @api.model
    def _fs_free_fields(self):
        """Fields that may change on a signed document: its chatter,
        activities and portal access, which are no part of what was signed."""
        free = {"write_date", "write_uid"}
        for mixin in ("mail.thread", "mail.activity.mixin", "portal.mixin"):
            free |= set(self.env[mixin]._fields)
        return free

    def _fs_closed_message(self):
        self.ensure_one()
        if self.state == core.SIGNED:
            return self.env._(
                "%(document)s was signed by %(signer)s on %(date)s: what it "
                "shows can no longer change.",
                document=self.name,
                signer=self.signed_by,
                date=self._fs_fmt(self.signed_on),
            )
        if self.state == core.APPROVED:
            return self.env._(
                "%(document)s was approved by %(user)s on %(date)s: what it "
                "shows can no longer change.",
                document=self.name,
                user=self.approved_by_id.name,
                date=self._fs_fmt(self.approved_on),
            )
        return self.env._(
            "%(document)s was declined on %(date)s (%(reason)s): print a new "
            "document instead.",
            document=self.name,
            date=self._fs_fmt(self.declined_on),
            reason=self.declined_reason,
        )

    def _fs_field_names(self, names):
        return ", ".join(
            sorted(self._fields[n]._description_string(self.env) for n in names)
        )

    def _fs_state_label(self):
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def _fs_api(self):
        """This document as the signing methods write it: the only way to
        the protected fields."""
        return self.sudo().with_context(fs_document_api=True)

    # ------------------------------------------------------------------
    # content
    # ------------------------------------------------------------------
    def _fs_source(self):
        self.ensure_one()
        field = SOURCE_FIELD.get(self.kind)
        return self[field] if field else self.env["res.partner"]

    def _fs_default_signer(self):
        """The customer's contact expected to sign: the person who reported
        the fault, else the location's primary contact, else the customer."""
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
        return reporter or contact or self.partner_id

    def _fs_tz(self):
        return (
            self.partner_id.tz
            or self.company_id.resource_calendar_id.tz
            or self.env.user.tz
            or "UTC"
        )

    def _fs_fmt(self, value):
        """A time as the document prints it: in its time zone, to the minute."""
        if not value:
            return ""
        doc = self.with_context(tz=self._fs_tz()) if self else self
        return fields.Datetime.context_timestamp(doc, value).strftime("%Y-%m-%d %H:%M")

    def _fs_content(self):
        """The values the document shows, in its language: what a signature
        covers. JSON values only; builders per kind (_fs_content_<kind>)."""
        self.ensure_one()
        doc = self.sudo().with_context(lang=self.lang or "en_US")
        company = doc.company_id
        content = {
            "kind": doc.kind,
            "number": doc.name,
            "lang": doc.lang or "en_US",
            "tz": doc._fs_tz(),
            "company": {
                "name": company.name or "",
                "address": doc._fs_address(company.partner_id),
                "phone": company.phone or "",
                "email": company.email or "",
            },
            "customer": doc.partner_id.name or "",
        }
        content.update(getattr(doc, f"_fs_content_{doc.kind}")())
        return content

    def _fs_values(self):
        """What the report prints: the signed content once there is one,
        the live content before."""
        self.ensure_one()
        if self.content_json:
            return json.loads(self.content_json)
        return self._fs_content()

    @api.model
    def _fs_address(self, partner):
        lines = partner._display_address(without_company=True).splitlines()
        return ", ".join(line.strip() for line in lines if line.strip())

    @api.model
    def _fs_line_text(self, line):
        """A service line as documents name it: its type and circuit."""
        return " ".join(p for p in (line.service_type_id.name, line.circuit_ref) if p)

    def _fs_selection(self, model, field):
        """A selection's (value, label) pairs in the document's language."""
        env = self.with_context(lang=self.lang or "en_US").env
        return env[model]._fields[field]._description_selection(env)

    def _fs_label(self, model, field, value):
        return dict(self._fs_selection(model, field)).get(value, value or "")

    def _fs_copies(self):
        return core.copies(self.kind)

    def _fs_template(self):
        """The report template of the document's body: one per document,
        the two fault report versions sharing theirs."""
        kind = (
            "fault_report"
            if self.kind in (core.FAULT_REPORT_TECH, core.FAULT_REPORT_CUSTOMER)
            else self.kind
        )
        return f"field_service_reports.report_fs_{kind}"

    def _fs_check_ready(self):
        """Kind-specific refusals before a signature or an approval
        (_fs_check_ready_<kind>, where the kind has some)."""
        check = getattr(self, f"_fs_check_ready_{self.kind}", None)
        if check:
            check()

    # ------------------------------------------------------------------
    # asking, signing, declining
    # ------------------------------------------------------------------
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
            doc._fs_api().write({"state": core.TO_SIGN})
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
            doc._fs_api().write({"state": core.DRAFT})
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
        contact, and a contact of the document's customer."""
        staff = self._fs_staff_names(witness)
        if partner:
            if partner.sudo().user_ids.filtered(lambda u: not u.share):
                self._fs_raise("staff_signer", name=partner.name)
            customer = self.partner_id.commercial_partner_id
            if customer and partner.commercial_partner_id != customer:
                self._fs_raise("not_customer_contact", name=partner.name)
        if core.normalize_name(name) in {core.normalize_name(n) for n in staff}:
            self._fs_raise("staff_signer", name=name)

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
    ):
        """The customer signs: in the back end on a staff member's device
        (``witness``), or in the portal (the caller checked the access token
        and calls on a sudo record). ``shown_hash`` is the content hash of
        what the customer was shown; ``answers`` the customer's own inputs
        (the scores of the quality form). Freezes the document: the content
        and its hash, the PDF as signed and its hash are stored."""
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
        doc = self._fs_api()
        doc._fs_take_answers(answers or {})
        content = core.canonical_json(doc._fs_content())
        ip = ip or self._fs_request_ip() or False
        doc.write(
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
            }
        )
        doc._fs_freeze(core.SIGNED)
        doc._fs_log(
            "signed",
            name=name,
            partner_id=partner.id if partner else False,
            ip=ip,
            on_site=bool(witness),
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

    def _decline(self, reason, ip=None, *, partner=None, witness=None, name=None):
        """The customer refuses to sign, for ``reason``: the document is
        final; a new one is printed if the work is redone."""
        self.ensure_one()
        self.check_access("write")
        reason = (reason or "").strip()
        try:
            core.check_decline(self.kind, self.state, reason)
        except core.DocumentError as error:
            self._fs_raise(error.code)
        name = (name or (partner and partner.name) or "").strip()
        ip = ip or self._fs_request_ip() or False
        self._fs_api().write(
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
            note=reason,
        )
        self.sudo().message_post(
            body=self.env._(
                "Declined by %(name)s: %(reason)s", name=name or "-", reason=reason
            ),
            message_type="notification",
        )
        return True

    # ------------------------------------------------------------------
    # approving (the technical fault report)
    # ------------------------------------------------------------------
    def action_approve(self):
        if not self.env.user.has_group("field_service_sla.group_fs_dispatcher"):
            raise UserError(
                self.env._(
                    "Only a dispatcher or an SLA administrator approves a "
                    "technical fault report."
                )
            )
        for doc in self:
            try:
                core.check_approve(doc.kind, doc.state)
            except core.DocumentError as error:
                messages = {
                    "not_approved_kind": self.env._(
                        "%(document)s is signed by the customer, not approved."
                    ),
                    "already_approved": self.env._("%(document)s is already approved."),
                    "not_open": self.env._(
                        "%(document)s is %(state)s: it can no longer be approved."
                    ),
                }
                raise UserError(
                    messages[error.code]
                    % {"document": doc.name, "state": doc._fs_state_label()}
                ) from None
            doc._fs_check_ready()
            api_doc = doc._fs_api()
            content = core.canonical_json(api_doc._fs_content())
            now = fields.Datetime.now()
            api_doc.write(
                {
                    "approved_by_id": self.env.user.id,
                    "approved_on": now,
                    "content_json": content,
                    "content_hash": core.sha256_hex(content),
                }
            )
            api_doc._fs_freeze(core.APPROVED)
            api_doc._fs_approved(now)
            doc._fs_log("approved", ip=self._fs_request_ip() or False)
            api_doc.message_post(
                body=self.env._(
                    "Approved. Content SHA-256: %(hash)s", hash=doc.content_hash
                ),
                message_type="notification",
            )
        return True

    def _fs_approved(self, when):
        """Hook: what an approval reaches outside the document."""

    # ------------------------------------------------------------------
    # freezing
    # ------------------------------------------------------------------
    def _fs_freeze(self, state):
        """Render the PDF as signed (or approved), archive it with its hash,
        and set the final state: the last write the document accepts."""
        self.ensure_one()
        pdf = self._fs_render_pdf()
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": f"{self.name.replace('/', '-')}.pdf",
                    "raw": pdf,
                    "mimetype": "application/pdf",
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        )
        self._fs_api().write(
            {
                "state": state,
                "pdf_attachment_id": attachment.id,
                "pdf_hash": core.sha256_hex(pdf),
            }
        )

    def _fs_render_pdf(self):
        """The PDF as the customer gets it; a real PDF even where Odoo's test
        mode would render HTML instead (the archive is what was signed)."""
        return (
            self.env["ir.actions.report"]
            .sudo()
            .with_context(lang=self.lang or "en_US", force_report_rendering=True)
            ._render_qweb_pdf(REPORT, self.ids)[0]
        )

    def _fs_log(self, event, **values):
        self.env["fs.document.event"].sudo().create(
            {
                "document_id": self.id,
                "event": event,
                "content_hash": self.content_hash or False,
                "pdf_hash": self.pdf_hash or False,
                **values,
            }
        )

    # ------------------------------------------------------------------
    # user actions
    # ------------------------------------------------------------------
    def action_print(self):
        for doc in self:
            # a content that cannot be printed says so before wkhtmltopdf runs
            doc._fs_values()
        return self.env.ref(REPORT).report_action(self)

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

    def _fs_form_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
        }

    def action_open_signed_pdf(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.pdf_attachment_id.id}?download=true",
            "target": "self",
        }
