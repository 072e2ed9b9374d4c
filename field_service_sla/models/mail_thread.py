from odoo import models


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _creation_message(self):
        """ "<document> created" in one language. Without a language in the
        context (crons, data files), Odoo's ``_()`` takes the user's language
        while the record's model name is read in English: a Chinese OdooBot
        wrote "Field Service Order 创建". Both in the user's language (else
        the company's)."""
        if self.env.lang:
            return super()._creation_message()
        lang = self.env.user.lang or self.env.company.partner_id.lang or "en_US"
        return super(MailThread, self.with_context(lang=lang))._creation_message()
