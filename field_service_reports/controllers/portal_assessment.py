from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class FsAssessmentPortal(CustomerPortal):
    """A contractor's monthly assessment sheets in the portal: the
    representative (a portal user of the contractor company) reads its
    company's sheets once sent (record rule; no link opens one for anyone
    else), contests single deductions with a reason, and signs the sheet
    through its customer document (signing page, freeze). Every answer is a
    POST with the CSRF token."""

    def _fs_sheet_domain(self):
        return [("partner_id", "child_of", request.env.user.commercial_partner_id.id)]

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "fs_assessment_count" in counters:
            Sheet = request.env["fs.assessment.sheet"]
            values["fs_assessment_count"] = (
                Sheet.search_count(self._fs_sheet_domain())
                if Sheet.has_access("read")
                else 0
            )
        return values

    @http.route(["/my/assessments"], type="http", auth="user", website=True)
    def portal_my_assessments(self, **kw):
        Sheet = request.env["fs.assessment.sheet"]
        sheets = (
            Sheet.search(self._fs_sheet_domain(), limit=200)
            if Sheet.has_access("read")
            else Sheet
        )
        values = self._prepare_portal_layout_values()
        values.update({"page_name": "fs_assessment", "fs_sheets": sheets.sudo()})
        return request.render("field_service_reports.portal_my_assessments", values)

    def _fs_sheet(self, sheet_id):
        """The sheet as superuser, once the user's own search (its record
        rule) found it: another contractor's id finds nothing."""
        Sheet = request.env["fs.assessment.sheet"]
        if not Sheet.has_access("read"):
            return Sheet
        return Sheet.search([("id", "=", sheet_id), *self._fs_sheet_domain()]).sudo()

    @http.route(
        ["/my/assessments/<int:sheet_id>"], type="http", auth="user", website=True
    )
    def portal_my_assessment(self, sheet_id, message=None, **kw):
        sheet = self._fs_sheet(sheet_id)
        if not sheet:
            return request.redirect("/my")
        document = sheet.document_id
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "fs_assessment",
                "fs_sheet": sheet,
                "fs_can_contest": sheet.state == "sent",
                "fs_sign_url": document.get_portal_url()
                if document and document.state == "to_sign"
                else None,
                "fs_document": document,
                # a code of ours, never text from the URL
                "fs_message": message if message == "contested" else None,
                "fs_error": request.session.pop("fs_assessment_error", None)
                if message == "error"
                else None,
            }
        )
        return request.render("field_service_reports.portal_my_assessment", values)

    @http.route(
        ["/my/assessments/<int:sheet_id>/contest"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_assessment_contest(self, sheet_id, line_id=None, reason="", **kw):
        sheet = self._fs_sheet(sheet_id)
        if not sheet:
            return request.redirect("/my")
        line = sheet.line_ids.filtered(lambda l: str(l.id) == str(line_id))
        back = f"/my/assessments/{sheet.id}?message="
        if not line:
            return request.redirect(back + "error")
        try:
            line._fs_contest(reason, request.env.user.partner_id)
        except (UserError, ValidationError) as error:
            request.session["fs_assessment_error"] = error.args[0]
            return request.redirect(back + "error")
        return request.redirect(back + "contested")
