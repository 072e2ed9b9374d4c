from odoo import fields, models
from odoo.exceptions import UserError

from ..reports_core import documents as core


class FsDocument(models.Model):
    """Approving in house (the technical fault report): a
    dispatcher's approval freezes it as a signature does."""

    _inherit = "fs.document"

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
            api_doc._fs_engine_write(
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
