from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController


class FsHelpdeskTicketController(HelpdeskTicketController):
    @http.route()
    def support_ticket_close(self, **kw):
        # helpdesk_mgmt closes whichever ticket id it is sent, as superuser
        ticket_id = kw.get("ticket_id") or ""
        if not ticket_id.isdigit() or not request.env["helpdesk.ticket"].search_count(
            [("id", "=", int(ticket_id))]
        ):
            raise NotFound()
        return super().support_ticket_close(**kw)
