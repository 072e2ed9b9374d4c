from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..reports_core import documents as core

KINDS = [
    (core.CONFIRMATION, "On-site fault handling confirmation"),
    (core.FAULT_REPORT_TECH, "Fault handling report (technical)"),
    (core.FAULT_REPORT_CUSTOMER, "Fault handling report (customer)"),
    (core.VISIT_REPORT, "Visit report"),
    (core.INSPECTION_RECORD, "Inspection record"),
    (core.QUALITY_FORM, "Service quality supervision form"),
    (core.CONTRACTOR_ASSESSMENT, "Contractor assessment"),
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
    core.CONTRACTOR_ASSESSMENT: "assessment_id",
}
SOURCE_FIELDS = ("order_id", "ticket_id", "visit_id", "inspection_id", "assessment_id")
NAME_PREFIX = {
    core.CONFIRMATION: "CONF",
    core.QUALITY_FORM: "QSF",
    core.FAULT_REPORT_TECH: "FRT",
    core.FAULT_REPORT_CUSTOMER: "FRC",
    core.VISIT_REPORT: "VIS",
    core.INSPECTION_RECORD: "INS",
    core.CONTRACTOR_ASSESSMENT: "ASM",
}
# What each document shows, as paths of fields from the document: declared
# by each kind's content builder beside it (_fs_content_<kind>), the common
# part by _fs_content. Once the document is signed (or approved) none of them
# changes any more: the freeze guard (fs_document_sources.py) is derived from
# these paths, and a test records what each builder reads and fails on a
# field these paths (or NOT_FROZEN) do not cover.
SHOWN_PATHS = {kind: set() for kind in SOURCE_FIELD}
# What a document reads but does not freeze, and why: the operator's own
# letterhead and the names of reference data (types, levels, tiers, teams,
# templates, countries) and of people, which print as they were signed (the
# signed content keeps them) and may be renamed for the documents to come;
# the SLA clocks and pauses, which only the engine writes from the frozen
# ticket times.
NOT_FROZEN_MODELS = {
    "res.company",
    "res.country",
    "res.country.state",
    "res.users",
    "res.lang",
    "fs.service.type",
    "fs.assurance.level",
    "fs.customer.tier",
    "helpdesk.ticket.team",
    "fsm.team",
    "fs.inspection.template",
    "fs.sla.clock",
    "fs.sla.pause",
    "fs.sla.pause.reason",
}
# per kind: paths read but not frozen, with their reason (in a comment where
# they are declared)
NOT_FROZEN_PATHS = {kind: set() for kind in SOURCE_FIELD}


def shows(kinds, paths, not_frozen=()):
    """Declare what the builder of ``kinds`` shows (``paths``) and reads
    without freezing (``not_frozen``)."""
    for kind in kinds:
        SHOWN_PATHS[kind].update(paths)
        NOT_FROZEN_PATHS[kind].update(not_frozen)


# Written only by the methods that ask for, sign, decline, approve and
# freeze a document (through _fs_engine_write): never by a client, in create,
# write or copy alike (_fs_check_protected).
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
    "signed_with_code",
    "signer_name_differs",
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
# what a new document is made of: its kind and its source (checked by create)
CREATION_FIELDS = {"kind", *SOURCE_FIELDS}
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
    assessment_id = fields.Many2one(
        "fs.assessment.sheet",
        string="Contractor assessment",
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
        "assessment_id.partner_id",
        "assessment_id.company_id",
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
            self._fs_check_protected(vals, creating=True)
            kind = vals.get("kind")
            given = [f for f in SOURCE_FIELDS if vals.get(f)]
            if kind not in SOURCE_FIELD or given != [SOURCE_FIELD[kind]]:
                raise ValidationError(
                    self.env._(
                        "A document is printed from exactly one record, the "
                        "one its kind is made from."
                    )
                )
            self._fs_check_source_access(vals)
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

    def copy_data(self, default=None):
        """A copy is a new draft: what the engine wrote of the original
        (its signature, approval, frozen content, archive, answers) is not
        copied; whatever ``default`` asks of it goes to create's check."""
        default = dict(default or {})
        vals_list = super().copy_data(default=default)
        for vals in vals_list:
            for name in PROTECTED_FIELDS - CREATION_FIELDS - default.keys():
                vals.pop(name, None)
        return vals_list

    def write(self, vals):
        self._fs_check_protected(vals)
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

    # ------------------------------------------------------------------
    # source, audit trail, form
    # ------------------------------------------------------------------
    def _fs_source(self):
        self.ensure_one()
        field = SOURCE_FIELD.get(self.kind)
        return self[field] if field else self.env["res.partner"]

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

    def _fs_form_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
        }
