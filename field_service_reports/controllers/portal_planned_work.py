from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

REPORT = "field_service_reports.action_report_planned_work"


def pdf_response(report, records, name, data=None):
    """``report`` of ``records`` as a PDF download named ``name``: the
    caller has checked the user's access to what it shows."""
    pdf, _type = (
        request.env["ir.actions.report"]
        .sudo()
        ._render_qweb_pdf(report, records.ids, data=data)
    )
    return pdf_download(pdf, name)


def pdf_download(pdf, name):
    """The bytes ``pdf`` as a download named ``name``.pdf."""
    headers = [
        ("Content-Type", "application/pdf"),
        ("Content-Length", len(pdf)),
        ("Content-Disposition", http.content_disposition(f"{name}.pdf")),
    ]
    return request.make_response(pdf, headers=headers)


class FsPlannedWorkPortal(CustomerPortal):
    """The customer's planned works in the portal: the notices of its
    company, each with the window and its lines, acknowledge or object
    before the window, confirm the service is back after it, and its part
    of the report. A notice opens for its company's portal users (record
    rule) and for whoever holds its token (the e-mail's link); every answer
    is a POST with the CSRF token."""

    def _fs_notice_domain(self):
        return [("partner_id", "=", request.env.user.commercial_partner_id.id)]

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "fs_planned_work_count" in counters:
            Notice = request.env["fs.planned.work.notice"]
            values["fs_planned_work_count"] = (
                Notice.search_count(self._fs_notice_domain())
                if Notice.has_access("read")
                else 0
            )
        return values

    @http.route(["/my/planned-work"], type="http", auth="user", website=True)
    def portal_my_planned_works(self, **kw):
        Notice = request.env["fs.planned.work.notice"]
        notices = (
            Notice.search(self._fs_notice_domain(), limit=200)
            if Notice.has_access("read")
            else Notice
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "fs_planned_work",
                # read as superuser after the rule chose them: the planned
                # work itself is staff data
                "fs_notices": notices.sudo(),
            }
        )
        return request.render("field_service_reports.portal_my_planned_works", values)

    def _fs_notice(self, notice_id, access_token):
        """The notice as superuser, once the user may read it (rule) or holds
        its own token; a draft planned work (told, then taken back) opens
        no more."""
        notice = self._document_check_access(
            "fs.planned.work.notice", notice_id, access_token=access_token
        )
        if notice.planned_work_id.state == "draft":
            raise AccessError(request.env._("This notice is not open to you."))
        return notice

    def _fs_who(self, notice):
        """Who answers: the logged-in contact, or the customer itself for a
        visitor holding the link."""
        user = request.env.user
        if user._is_public() or user.commercial_partner_id != notice.partner_id:
            return notice.partner_id
        return user.partner_id

    @http.route(
        ["/my/planned-work/<int:notice_id>"],
        type="http",
        auth="public",
        website=True,
    )
    def portal_my_planned_work(
        self, notice_id, access_token=None, message=None, report_type=None, **kw
    ):
        try:
            notice = self._fs_notice(notice_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if report_type == "pdf":
            return pdf_response(
                REPORT,
                notice.planned_work_id,
                notice.planned_work_id.reference,
                data={"fs_partner_id": notice.partner_id.id},
            )
        token = f"?access_token={access_token}" if access_token else ""
        values = {
            "page_name": "fs_planned_work",
            "fs_notice": notice,
            "fs_work": notice.planned_work_id,
            # a code of ours, never text from the URL; a refusal's words come
            # from the session the POST wrote them to
            "fs_message": message if message in ("answered", "verified") else None,
            "fs_error": request.session.pop("fs_planned_work_error", None)
            if message == "error"
            else None,
            "fs_token": access_token or "",
            "fs_pdf_url": f"{notice.access_url}{token}"
            f"{'&' if token else '?'}report_type=pdf",
            "fs_can_answer": notice.planned_work_id.state in ("notified", "confirmed"),
            "fs_can_verify": notice.verification == "pending"
            and notice.planned_work_id.state in ("in_progress", "done", "rolled_back"),
        }
        values = self._get_page_view_values(
            notice, access_token, values, "my_planned_work_history", False, **kw
        )
        return request.render("field_service_reports.portal_my_planned_work", values)

    def _fs_back(self, notice, access_token, message):
        token = f"access_token={access_token}&" if access_token else ""
        return request.redirect(f"{notice.access_url}?{token}message={message}")

    @http.route(
        ["/my/planned-work/<int:notice_id>/answer"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_planned_work_answer(
        self, notice_id, response=None, reason="", access_token=None, **kw
    ):
        try:
            notice = self._fs_notice(notice_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        try:
            notice._fs_respond(response, self._fs_who(notice), reason)
        except (UserError, ValidationError) as error:
            request.session["fs_planned_work_error"] = error.args[0]
            return self._fs_back(notice, access_token, "error")
        return self._fs_back(notice, access_token, "answered")

    @http.route(
        ["/my/planned-work/<int:notice_id>/service-back"],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_planned_work_service_back(self, notice_id, access_token=None, **kw):
        try:
            notice = self._fs_notice(notice_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if notice.verification != "pending":
            return self._fs_back(notice, access_token, "verified")
        try:
            notice._fs_verify("customer", self._fs_who(notice).name)
        except UserError as error:
            request.session["fs_planned_work_error"] = error.args[0]
            return self._fs_back(notice, access_token, "error")
        return self._fs_back(notice, access_token, "verified")


ASSURANCE_REPORT = "field_service_reports.action_report_assurance_summary"


class FsAssurancePortal(CustomerPortal):
    """The customer's special assurance periods in the portal, and once a
    period is over its summary (faults and restore times) as a PDF. Its
    company's portal users only (record rule); no link opens it for others."""

    def _fs_assurance_domain(self):
        return [
            ("partner_id", "=", request.env.user.commercial_partner_id.id),
            ("state", "in", ("declared", "done")),
        ]

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "fs_assurance_count" in counters:
            Period = request.env["fs.assurance.period"]
            values["fs_assurance_count"] = (
                Period.search_count(self._fs_assurance_domain())
                if Period.has_access("read")
                else 0
            )
        return values

    @http.route(["/my/assurance"], type="http", auth="user", website=True)
    def portal_my_assurance(self, **kw):
        Period = request.env["fs.assurance.period"]
        periods = (
            Period.search(self._fs_assurance_domain(), limit=200)
            if Period.has_access("read")
            else Period
        )
        values = self._prepare_portal_layout_values()
        values.update({"page_name": "fs_assurance", "fs_periods": periods.sudo()})
        return request.render("field_service_reports.portal_my_assurance", values)

    @http.route(
        ["/my/assurance/<int:period_id>"], type="http", auth="user", website=True
    )
    def portal_my_assurance_period(self, period_id, report_type=None, **kw):
        Period = request.env["fs.assurance.period"]
        period = Period.search([("id", "=", period_id), *self._fs_assurance_domain()])
        if not period:
            return request.redirect("/my")
        period = period.sudo()
        over = period.state == "done" or period.date_end <= fields.Datetime.now()
        if report_type == "pdf" and over:
            return pdf_response(ASSURANCE_REPORT, period, period.name)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "fs_assurance",
                "fs_period": period,
                "fs_over": over,
                "fs_lines": period._lines(),
            }
        )
        return request.render(
            "field_service_reports.portal_my_assurance_period", values
        )
