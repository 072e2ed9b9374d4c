import hashlib

from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.field_service_sla.sla_core.escalation import normalize_mobile

from ..reports_core.operation_report import BadPeriod

REPORT = "field_service_reports.action_report_operation_report"


class FsOperationReport(models.Model):
    """Release: the period is over and the remarks written (when the company
    asks for them); the PDF is rendered once in the report's language,
    archived with its SHA-256, published in the customer's portal, and the
    customer's contacts are told by e-mail and SMS."""

    _inherit = "fs.operation.report"

    def _fs_operator_today(self):
        tz = self.company_id._fs_operator_tz()
        return fields.Date.context_today(self.with_context(tz=tz))

    def _fs_check_release(self):
        """A clear error, and nothing changed, when a report cannot go out."""
        self.ensure_one()
        period = self._fs_period()
        try:
            period.check_ended(self._fs_operator_today())
        except BadPeriod as error:
            raise UserError(
                self.env._(
                    "The period %(period)s of %(customer)s is not over yet: its "
                    "report is released from %(day)s on.",
                    period=str(period),
                    customer=self.partner_id.name,
                    day=period.end,
                )
            ) from error
        if (
            self.company_id.fs_operation_report_remarks_required
            and not (self.remarks or "").strip()
        ):
            raise UserError(
                self.env._(
                    "Write the remarks of %(report)s before releasing it: "
                    "%(company)s requires them.",
                    report=self.display_name,
                    company=self.company_id.name,
                )
            )

    def action_release(self):
        self._check_state(["draft"])
        for report in self:
            report._fs_check_release()
        for report in self:
            report._fs_release()
        return True

    def _fs_release(self):
        self.ensure_one()
        now = fields.Datetime.now()
        end = self._fs_scope().end
        if not self.generated_date or self.generated_date < end:
            # figures taken while the period ran: the final ones go out
            self._fs_compute_figures(now=now)
        self._move(
            "released",
            ["draft"],
            released_date=now,
            released_by_id=self.env.user.id,
        )
        # rendered once released, so that it prints its release; the
        # transaction fails whole if it cannot be rendered
        pdf, _kind = (
            self.env["ir.actions.report"]
            .sudo()
            .with_context(lang=self._fs_lang())
            ._render_qweb_pdf(REPORT, self.ids)
        )
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": f"{self.name}.pdf",
                    "raw": pdf,
                    "mimetype": "application/pdf",
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        )
        self.sudo().with_context(fs_state_transition=True).write(
            {
                "attachment_id": attachment.id,
                "pdf_hash": hashlib.sha256(pdf).hexdigest(),
            }
        )
        self._fs_notify_release(attachment)
        todo = self.env.ref("mail.mail_activity_data_todo")
        review = self.activity_ids.filtered(lambda a: a.activity_type_id == todo)
        if review:
            review.sudo().action_feedback(feedback=self.env._("Released."))

    def _fs_portal_url(self):
        token = self.access_token or self.sudo()._portal_ensure_token()
        return f"{self.get_base_url()}{self.access_url}?access_token={token}"

    def _fs_notify_release(self, attachment):
        """One e-mail to the customer's contacts with an address (the PDF
        attached), one SMS per contact mobile through the company's SMS
        path, and a note of both in the chatter."""
        customer = self.partner_id
        people = self.env["fs.planned.work.notice"]._contacts(customer)[customer]
        emails = people.filtered("email")
        numbers = list(
            dict.fromkeys(n for n in (normalize_mobile(p.phone) for p in people) if n)
        )
        local = self.with_context(lang=self._fs_lang())
        _ = local.env._
        url = self._fs_portal_url()
        period = str(self._fs_period())
        if emails:
            body = Markup("<p>%s</p><p><a href='%s'>%s</a></p>") % (
                _(
                    "Dear customer, the network operation report of %(customer)s "
                    "for %(period)s is released. It is attached, and in your "
                    "portal.",
                    customer=customer.name,
                    period=period,
                ),
                url,
                _("Open the report"),
            )
            self.sudo().message_post(
                body=body,
                subject=_("Network operation report %(period)s", period=period),
                partner_ids=emails.ids,
                attachment_ids=attachment.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        if numbers:
            text = _(
                "[%(company)s] The network operation report of %(customer)s for "
                "%(period)s is released: %(url)s",
                company=self.company_id.name,
                customer=customer.name,
                period=period,
                url=url,
            )
            self.env["sms.sms"].sudo().create(
                [
                    {
                        "number": number,
                        "body": text,
                        "state": "outgoing",
                        "fs_company_id": self.company_id.id,
                    }
                    for number in numbers
                ]
            )
        self.message_post(
            body=self.env._(
                "Released and published in the customer's portal: %(emails)s "
                "e-mail recipients, %(sms)s SMS.",
                emails=len(emails),
                sms=len(numbers),
            ),
            subtype_xmlid="mail.mt_note",
        )
