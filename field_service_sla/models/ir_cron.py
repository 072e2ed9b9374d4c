from odoo import models

OUR_ADDONS = ("field_service_sla", "field_service_reports")


class IrCron(models.Model):
    _inherit = "ir.cron"

    def _callback(self, cron_name, server_action_id):
        """Our jobs write in the company's language (else their user's):
        Odoo runs a job without a language in its context, so every text it
        wrote (an order's description, a severity reason, a chatter line)
        was English on Chinese screens. Texts for one person (an activity)
        are in that person's language where they are made."""
        if not self.env.context.get("lang") and self._fs_is_ours():
            lang = self.env.company.partner_id.lang or self.env.user.lang
            if lang:
                self = self.with_context(lang=lang)
        return super()._callback(cron_name, server_action_id)

    def _fs_is_ours(self):
        return any(
            xmlid.split(".", 1)[0] in OUR_ADDONS
            for xmlid in self.sudo()._get_external_ids().get(self.id, ())
        )
