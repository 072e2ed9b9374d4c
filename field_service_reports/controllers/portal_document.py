import binascii

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.fs_document import REPORT
from ..reports_core import documents as core
from ..reports_core import sign_codes as codes
from .portal_fsm_order import FsFsmOrderPortal
from .portal_ticket import FsCustomerPortalHelpdesk

# what a refused signature or decline may raise: the document's refusals,
# and an image the signature field cannot read
REFUSALS = (UserError, ValidationError, binascii.Error, TypeError, ValueError)


class FsDocumentPortal(CustomerPortal):
    """The customer's documents in the portal: list, page, PDF, signing and
    declining. A document opens for the customer's portal users (record
    rules) and for whoever holds its own access token, the link it was sent
    with; the signing routes answer JSON, refuse with a message and then
    change nothing."""

    def _fs_document_domain(self):
        return [
            *request.env["fs.document"]._fs_portal_domain(),
            ("partner_id", "child_of", request.env.user.commercial_partner_id.id),
        ]

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        Document = request.env["fs.document"]
        readable = Document.has_access("read")
        if "fs_document_count" in counters:
            values["fs_document_count"] = (
                Document.search_count(self._fs_document_domain()) if readable else 0
            )
        if "fs_document_to_sign_count" in counters:
            values["fs_document_to_sign_count"] = (
                Document.search_count(
                    [*self._fs_document_domain(), ("state", "=", core.TO_SIGN)]
                )
                if readable
                else 0
            )
        return values

    def _fs_document_searchbar(self):
        env = request.env
        sortings = {
            "date": {"label": env._("Newest"), "order": "id desc"},
            "name": {"label": env._("Number"), "order": "name desc, id desc"},
            # to sign, then signed, then declined
            "state": {"label": env._("Status"), "order": "state desc, id desc"},
        }
        labels = {
            core.TO_SIGN: env._("To sign"),
            core.SIGNED: env._("Signed"),
            core.DECLINED: env._("Declined"),
        }
        filters = {"all": {"label": env._("All"), "domain": []}}
        for state, label in labels.items():
            filters[state] = {"label": label, "domain": [("state", "=", state)]}
        return sortings, filters

    @http.route(
        ["/my/service-documents", "/my/service-documents/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_fs_documents(self, page=1, sortby=None, filterby=None, **kw):
        values = self._prepare_portal_layout_values()
        Document = request.env["fs.document"]
        sortings, filters = self._fs_document_searchbar()
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "all"
        domain = [*self._fs_document_domain(), *filters[filterby]["domain"]]
        count = Document.search_count(domain) if Document.has_access("read") else 0
        pager = portal_pager(
            url="/my/service-documents",
            url_args={"sortby": sortby, "filterby": filterby},
            total=count,
            page=page,
            step=self._items_per_page,
        )
        documents = (
            Document.search(
                domain,
                order=sortings[sortby]["order"],
                limit=self._items_per_page,
                offset=pager["offset"],
            )
            if count
            else Document
        )
        request.session["my_fs_documents_history"] = documents.ids[:100]
        values.update(
            {
                "fs_documents": documents,
                "page_name": "fs_document",
                "pager": pager,
                "default_url": "/my/service-documents",
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": filters,
                "filterby": filterby,
            }
        )
        return request.render("field_service_reports.portal_my_fs_documents", values)

    def _fs_document_check_access(self, document_id, access_token=None):
        """The document, as superuser, when the user may read it or holds its
        own token, and it is one the portal shows (sent to the customer, or
        signed or declined): a document taken back to draft keeps its token
        but opens no more."""
        document = self._document_check_access(
            "fs.document", document_id, access_token=access_token
        )
        if not document.filtered_domain(document._fs_portal_domain()):
            raise AccessError(request.env._("This document is not open to you."))
        # as the user of the request, above the rules: the audit trail and
        # the refusal of a staff signer name who signs
        return document.with_user(request.env.user).sudo()

    @http.route(
        ["/my/service-documents/<int:document_id>"],
        type="http",
        auth="public",
        website=True,
    )
    def portal_my_fs_document(
        self,
        document_id,
        access_token=None,
        report_type=None,
        download=False,
        message=None,
        **kw,
    ):
        try:
            document = self._fs_document_check_access(document_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        archive = document.pdf_attachment_id
        if report_type == "pdf" and archive and document._fs_own_archive(archive):
            # the PDF as it was signed: the archive's own bytes
            pdf = archive.raw
            headers = self._get_http_headers(document, "pdf", pdf, download)
            return request.make_response(pdf, headers=list(headers.items()))
        if report_type in ("html", "pdf"):
            return self._show_report(
                model=document,
                report_type=report_type,
                report_ref=REPORT,
                download=download,
            )
        self._fs_log_opened(document)
        values = self._fs_document_page_values(document, access_token, message, **kw)
        return request.render("field_service_reports.portal_my_fs_document", values)

    def _fs_log_opened(self, document):
        """Who opened a document waiting for a signature: the logged-in
        user and contact, or a visitor holding the link, with the address.
        Once per session, so that the trail shows who read it before it was
        signed (a forwarded link shows as a visitor, not as the contact)."""
        if document.state != core.TO_SIGN:
            return
        opened = request.session.get("fs_documents_opened") or []
        if document.id in opened:
            return
        user = request.env.user
        visitor = user._is_public()
        document._fs_log(
            "opened",
            partner_id=False if visitor else user.partner_id.id,
            name=False if visitor else user.partner_id.name,
            ip=request.httprequest.remote_addr,
            note=request.env._("Opened with the link, not logged in")
            if visitor
            else request.env._("Logged in"),
        )
        request.session["fs_documents_opened"] = [*opened, document.id][-100:]

    def _fs_document_page_values(self, document, access_token, message, **kw):
        to_sign = document.state == core.TO_SIGN
        signer = self._fs_portal_signer(document)
        Code = request.env["fs.document.sign.code"]
        url = document.access_url
        token = f"?access_token={access_token}" if access_token else ""
        # signing and declining ask for the same code, texted for each
        code = Code._fs_required(document, signer) and {
            "url": f"{url}/code{token}",
            "to": codes.mask_number(Code._fs_number(signer)),
        }
        values = {
            "page_name": "fs_document",
            "fs_document": document,
            "fs_message": message,
            "fs_events": document.event_ids,
            # the trail keeps where the link went in full for the staff;
            # whoever holds the link sees the contact details masked
            "fs_mask": codes.mask_contacts,
            "fs_pdf_url": f"{url}{token}{'&' if token else '?'}report_type=pdf",
            "fs_html_url": f"{url}{token}{'&' if token else '?'}report_type=html",
            "fs_sign_props": to_sign
            and {
                "callUrl": f"{url}/sign{token}",
                "defaultName": signer.name or "",
                "mode": "draw",
                "sendLabel": request.env._("Sign"),
                "shownHash": core.content_hash(document._fs_content()),
                "questions": document._fs_portal_questions(),
                "code": code,
            },
            "fs_decline_props": to_sign
            and {"callUrl": f"{url}/decline{token}", "code": code},
        }
        return self._get_page_view_values(
            document, access_token, values, "my_fs_documents_history", False, **kw
        )

    def _fs_portal_signer(self, document):
        """The customer's contact signing in the portal: the logged-in user's
        contact, or for a visitor with the link, the contact it was sent
        to. Signing refuses a staff member and another company's contact."""
        user = request.env.user
        if not user._is_public():
            return user.partner_id
        return document._fs_recipient()

    def _fs_refusal_answer(self, error):
        return {"error": error.args[0] if error.args else str(error)}

    def _fs_open_document(self, document_id, access_token):
        """The document to sign or decline, refused with the document's own
        message unless it waits for the customer's signature."""
        document = self._fs_document_check_access(document_id, access_token)
        if document.state != core.TO_SIGN:
            document._fs_raise(
                "already_signed" if document.state == core.SIGNED else "not_open"
            )
        return document

    @http.route(
        ["/my/service-documents/<int:document_id>/sign"],
        type="jsonrpc",
        auth="public",
        website=True,
    )
    def portal_fs_document_sign(
        self,
        document_id,
        access_token=None,
        name=None,
        signature=None,
        shown_hash=None,
        answers=None,
        code=None,
        **kw,
    ):
        def sign(document):
            if not shown_hash:
                document._fs_raise("changed")
            if answers is not None and not isinstance(answers, dict):
                raise UserError(request.env._("The answers could not be read."))
            document._sign(
                signature,
                name,
                request.httprequest.remote_addr,
                partner=self._fs_portal_signer(document),
                shown_hash=shown_hash,
                answers=answers,
                code=code,
            )

        return self._fs_document_answer(
            document_id,
            access_token,
            sign,
            "signed",
            check=lambda document: self._fs_check_code(document, name, code, "sign"),
        )

    def _fs_check_code(self, document, name, code, purpose):
        """The refusal's message of the code typed to sign or decline (for
        ``purpose``) where one is required, else False. Called before the
        savepoint, so that a wrong code's attempt is kept."""
        signer = self._fs_portal_signer(document)
        try:
            # a signer refused anyway is told so, not asked for a code
            document._fs_check_signer(name or "", signer, None)
        except UserError as error:
            return error.args[0]
        Code = request.env["fs.document.sign.code"]
        if Code._fs_required(document, signer):
            return Code._fs_check(document, signer, code, purpose=purpose)
        return False

    @http.route(
        ["/my/service-documents/<int:document_id>/code"],
        type="jsonrpc",
        auth="public",
        website=True,
    )
    def portal_fs_document_code(
        self, document_id, access_token=None, purpose="sign", **kw
    ):
        """Text the code to sign (or, ``purpose`` "decline", to decline) to
        the signer's mobile: the logged-in contact's, or for a visitor with
        the link, the mobile of the contact it was sent to, whoever asks."""

        def send(document):
            signer = self._fs_portal_signer(document)
            document._fs_check_signer(signer.name or "", signer, None)
            return request.env["fs.document.sign.code"]._fs_send(
                document,
                signer,
                request.httprequest.remote_addr,
                purpose="decline" if purpose == "decline" else "sign",
            )

        return self._fs_document_call(
            document_id,
            access_token,
            send,
            lambda document, access_token, sent_to: {"sent_to": sent_to},
        )

    @http.route(
        ["/my/service-documents/<int:document_id>/decline"],
        type="jsonrpc",
        auth="public",
        website=True,
    )
    def portal_fs_document_decline(
        self, document_id, access_token=None, reason=None, code=None, **kw
    ):
        def check(document):
            # the reason first: a code is not spent on a decline refused
            if not (reason or "").strip():
                document._fs_raise("empty_reason")
            signer = self._fs_portal_signer(document)
            return self._fs_check_code(document, signer.name, code, "decline")

        def decline(document):
            signer = self._fs_portal_signer(document)
            document._fs_check_signer(signer.name or "", signer, None)
            document._decline(
                reason,
                request.httprequest.remote_addr,
                partner=signer,
                name=signer.name,
                code=code,
            )

        return self._fs_document_answer(
            document_id, access_token, decline, "declined", check=check
        )

    def _fs_document_answer(self, document_id, access_token, act, message, check=None):
        """What the portal's sign and decline forms get back: ``act``
        (document) done, or the refusal's message; then the document's page
        with ``message``. ``check`` as for ``_fs_document_call``."""

        def redirect(document, access_token, _result):
            return {
                "force_refresh": True,
                "redirect_url": document.get_portal_url(
                    query_string=f"&message={message}"
                )
                if access_token
                else f"{document.access_url}?message={message}",
            }

        return self._fs_document_call(
            document_id, access_token, act, redirect, check=check
        )

    def _fs_document_call(self, document_id, access_token, act, answer, check=None):
        """Open the document waiting for the customer's signature, do ``act``
        (document) in a savepoint and answer ``answer`` (document, access
        token, act's result), or the refusal's message. ``check`` (document)
        runs first, outside the savepoint, and answers a refusal's message or
        False."""
        # the token comes in the URL's query string (the form's call URL)
        access_token = access_token or request.httprequest.args.get("access_token")
        try:
            document = self._fs_open_document(document_id, access_token)
        except (AccessError, MissingError):
            return {"error": request.env._("This document is not open to you.")}
        except UserError as error:
            return self._fs_refusal_answer(error)
        try:
            refusal = check(document) if check else False
        except REFUSALS as error:
            return self._fs_refusal_answer(error)
        if refusal:
            return {"error": refusal}
        try:
            with request.env.cr.savepoint():
                result = act(document)
        except REFUSALS as error:
            return self._fs_refusal_answer(error)
        return answer(document, access_token, result)


class FsDocumentTicketPortal(FsCustomerPortalHelpdesk):
    """The documents of a ticket and of its field orders on its page."""

    def _ticket_get_page_view_values(self, ticket, access_token, **kwargs):
        values = super()._ticket_get_page_view_values(ticket, access_token, **kwargs)
        values["fs_documents"] = request.env["fs.document"]._fs_portal_documents_of(
            ticket, sudo=bool(access_token)
        )
        return values


class FsDocumentOrderPortal(FsFsmOrderPortal):
    """The documents of a field order on its page."""

    def fsm_order_get_page_view_values(self, fsm_order, **kwargs):
        values = super().fsm_order_get_page_view_values(fsm_order, **kwargs)
        values["fs_documents"] = request.env["fs.document"]._fs_portal_documents_of(
            fsm_order
        )
        return values
