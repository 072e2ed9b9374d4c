import json

from odoo import api, fields, models

from ..reports_core import documents as core
from .fs_document import SOURCE_FIELD, shows

ADDRESS = ("street", "street2", "zip", "city", "state_id", "country_id")
# what every document shows (_fs_content): the customer's name; the
# operator's letterhead prints as it is on the day (not frozen)
shows(
    SOURCE_FIELD,
    ["partner_id.name"],
    not_frozen=[
        "company_id.partner_id.name",
        "company_id.partner_id.phone",
        "company_id.partner_id.email",
        *(f"company_id.partner_id.{f}" for f in ADDRESS),
        "company_id.resource_calendar_id.tz",
    ],
)


def address_of(path):
    """The paths of a partner's address as _fs_address prints it."""
    return [f"{path}.{f}" for f in ADDRESS]


class FsDocument(models.Model):
    """What a document shows: the values its content builders
    (_fs_content_<kind>) read from its source, formatted in its language and
    time zone; what it prints once signed."""

    _inherit = "fs.document"

    def _fs_tz(self, company=None):
        """The time zone every time a document prints is written in: its
        operator's (res.company._fs_operator_tz), never the customer's, the
        server's, the printing user's or OdooBot's."""
        company = company or self[:1].company_id or self.env.company
        return company._fs_operator_tz()

    def _fs_fmt(self, value, company=None):
        """A time as the document prints it: in its operator's time zone
        (``company``'s for a document not made yet), to the minute."""
        if not value:
            return ""
        doc = self.with_context(tz=self._fs_tz(company))
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
