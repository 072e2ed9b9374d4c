from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController


class FsHelpdeskTicketController(HelpdeskTicketController):
    """helpdesk_mgmt's "new ticket" form, with the choice of one of the
    customer's service lines: the ticket then gets the line's SLA policy and
    clocks, as when a dispatcher logs it with that line."""

    def _fs_service_lines(self):
        """The active service lines of the user's company. Portal users' rule
        says the same; internal users who use the form see more lines."""
        return request.env["fs.service.line"].search(
            [
                (
                    "partner_id.commercial_partner_id",
                    "=",
                    request.env.user.commercial_partner_id.id,
                )
            ]
        )

    def _fs_submitted_service_line(self, value):
        """The line a submitted form names, checked again on the server: the
        form's list is the browser's, the request may say anything."""
        if not value:
            return request.env["fs.service.line"]
        line_id = int(value) if str(value).isdigit() else 0
        line = self._fs_service_lines().filtered(lambda line: line.id == line_id)
        if not line:
            raise UserError(
                request.env._(
                    "The service line you chose is not one of your company's "
                    "active service lines: the ticket was not submitted. Choose "
                    "a line from the list."
                )
            )
        return line

    def _get_create_new_ticket_values(self, **kw):
        values = super()._get_create_new_ticket_values(**kw)
        values["fs_service_lines"] = self._fs_service_lines()
        return values

    def _prepare_submit_ticket_vals(self, **kw):
        vals = super()._prepare_submit_ticket_vals(**kw)
        line = self._fs_submitted_service_line(kw.get("fs_service_line"))
        if line:
            # the line's operator company serves it (the ticket's must match)
            vals.update(service_line_id=line.id, company_id=line.company_id.id)
        return vals

    @http.route()
    def submit_ticket(self, **kw):
        try:
            self._fs_submitted_service_line(kw.get("fs_service_line"))
        except UserError as error:
            values = self._get_create_new_ticket_values(**kw)
            values.update(
                fs_error=error.args[0],
                fs_subject=kw.get("subject"),
                fs_description=kw.get("description"),
            )
            return request.render(
                "helpdesk_mgmt.portal_create_ticket", values, status=400
            )
        return super().submit_ticket(**kw)

    @http.route()
    def support_ticket_close(self, **kw):
        # helpdesk_mgmt closes whichever ticket id it is sent, as superuser
        ticket_id = kw.get("ticket_id") or ""
        if not ticket_id.isdigit() or not request.env["helpdesk.ticket"].search_count(
            [("id", "=", int(ticket_id))]
        ):
            raise NotFound()
        return super().support_ticket_close(**kw)
