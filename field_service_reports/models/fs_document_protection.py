import contextvars

from odoo import api, models
from odoo.exceptions import UserError

from ..reports_core import documents as core
from .fs_document import CREATION_FIELDS, PROTECTED_FIELDS, SOURCE_FIELD

# Set while the engine writes the protected fields of a document it has
# already checked (_fs_engine_write). A context variable of this process:
# no client, RPC or context key reaches it.
_ENGINE_WRITE = contextvars.ContextVar("fs_document_engine_write", default=False)


class FsDocument(models.Model):
    """The fields only the engine writes (PROTECTED_FIELDS): one check for
    create, write and copy, and the engine's own way to them."""

    _inherit = "fs.document"

    # ------------------------------------------------------------------
    # the protected fields: one check for create, write and copy
    # ------------------------------------------------------------------
    @api.model
    def _fs_check_protected(self, vals, creating=False):
        """Refuse the protected fields in ``vals``, whoever sends them,
        unless the engine writes them (_fs_engine_write). A new document
        gives its kind and source (create checks them); a protected field
        left at its default sets nothing and passes there."""
        if _ENGINE_WRITE.get():
            return
        names = PROTECTED_FIELDS & vals.keys()
        if creating:
            names = {
                name
                for name in names - CREATION_FIELDS
                if not self._fs_is_default(name, vals[name])
            }
        if names:
            raise UserError(
                self.env._(
                    "%(fields)s of a document change only by asking the "
                    "customer to sign it, signing, declining or approving it.",
                    fields=self._fs_field_names(names),
                )
            )

    @api.model
    def _fs_is_default(self, name, value):
        if name == "state":
            return value in (False, core.DRAFT)
        if name == "name":
            return value in (False, "/")
        return not value

    def _fs_engine_write(self, vals):
        """The engine's write of protected fields (asking, signing,
        declining, approving, freezing), on a document its caller has
        already checked: the only way to them."""
        token = _ENGINE_WRITE.set(True)
        try:
            return self.sudo().write(vals)
        finally:
            _ENGINE_WRITE.reset(token)

    def _fs_api(self):
        """This document as the engine works it (chatter, mails, texts):
        under sudo, its caller having checked the access. Its protected
        fields are written through _fs_engine_write only."""
        return self.sudo()

    @api.model
    def _fs_check_source_access(self, vals):
        """Who makes a document reads its source: the document prints what
        its source shows (field orders: a technician's own, a dispatcher's
        teams', by their record rules)."""
        if self.env.su:
            return
        field = SOURCE_FIELD[vals["kind"]]
        source = self.env[self._fields[field].comodel_name].browse(vals[field])
        source.check_access("read")
