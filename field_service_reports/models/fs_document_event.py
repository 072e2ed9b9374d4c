from odoo import fields, models

EVENTS = [
    ("created", "Created"),
    ("sent", "Sent for signature"),
    ("withdrawn", "Back to draft"),
    ("signed", "Signed"),
    ("declined", "Declined"),
    ("approved", "Approved"),
    ("opened", "Opened"),
    ("contact_added", "Contact added on site"),
    ("code_sent", "Code texted"),
    ("code_refused", "Wrong code"),
]


class FsDocumentEvent(models.Model):
    """One line of a document's audit trail: who did what, when, from which
    address, and the hashes of what was signed. Written by the document's
    methods only; nobody edits or deletes it."""

    _name = "fs.document.event"
    _description = "Customer document audit trail"
    _order = "date, id"

    document_id = fields.Many2one(
        "fs.document", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one(
        related="document_id.company_id", store=True, index=True
    )
    event = fields.Selection(EVENTS, required=True, readonly=True)
    date = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True)
    user_id = fields.Many2one(
        "res.users",
        string="User",
        default=lambda self: self.env.user,
        readonly=True,
        help="The user logged in on the device: for a signature on site, the "
        "staff member who witnessed it.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer contact",
        readonly=True,
        help="The customer's contact the document was sent to, or who signed "
        "or declined it.",
    )
    name = fields.Char("Name given", readonly=True)
    ip = fields.Char("IP address", readonly=True)
    on_site = fields.Boolean("On site", readonly=True)
    content_hash = fields.Char("Content SHA-256", readonly=True)
    pdf_hash = fields.Char("PDF SHA-256", readonly=True)
    note = fields.Text(readonly=True)
