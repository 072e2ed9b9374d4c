from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

from .portal_planned_work import pdf_download


class FsOperationReportPortal(CustomerPortal):
    """The customer's released network operation reports in the portal:
    its company's portal users (record rule), or whoever holds a report's
    token (the release e-mail's link). The PDF is the archived one, the
    bytes whose SHA-256 the report keeps; a draft, or another customer's
    report, opens for nobody."""

    def _fs_operation_report_domain(self):
        return [
            ("partner_id", "=", request.env.user.commercial_partner_id.id),
            ("state", "=", "released"),
        ]

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "fs_operation_report_count" in counters:
            Report = request.env["fs.operation.report"]
            values["fs_operation_report_count"] = (
                Report.search_count(self._fs_operation_report_domain())
                if Report.has_access("read")
                else 0
            )
        return values

    @http.route(["/my/operation-reports"], type="http", auth="user", website=True)
    def portal_my_operation_reports(self, **kw):
        Report = request.env["fs.operation.report"]
        reports = (
            Report.search(self._fs_operation_report_domain(), limit=200)
            if Report.has_access("read")
            else Report
        )
        values = self._prepare_portal_layout_values()
        values.update({"page_name": "fs_operation_report", "fs_reports": reports})
        return request.render(
            "field_service_reports.portal_my_operation_reports", values
        )

    @http.route(
        ["/my/operation-reports/<int:report_id>"],
        type="http",
        auth="public",
        website=True,
    )
    def portal_my_operation_report(self, report_id, access_token=None, **kw):
        try:
            report = self._document_check_access(
                "fs.operation.report", report_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        if report.state != "released" or not report.attachment_id:
            return request.redirect("/my")
        # the archived bytes, whose SHA-256 the report keeps
        return pdf_download(report.attachment_id.raw, report.name)
