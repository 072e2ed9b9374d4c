from odoo import api, fields, models


class FsmOrder(models.Model):
    """What a technician needs first on a phone, and what the appointments
    calendar names an order by."""

    _inherit = "fsm.order"

    fs_site_contact_id = fields.Many2one(
        "res.partner",
        string="Site contact",
        compute="_compute_fs_site_contact",
        help="Who to call: the person who reported the fault, else the "
        "location's contact, else the customer.",
    )
    fs_site_phone = fields.Char(
        string="Contact phone",
        compute="_compute_fs_site_contact",
    )
    fs_appointment_title = fields.Char(
        string="Appointment",
        compute="_compute_fs_appointment_title",
        help="The customer and the fault, as the appointments calendar shows an order.",
    )

    def _fs_readable_ticket(self):
        """The order's ticket if the user may read it, else none: the
        technician's record rules decide, not this screen."""
        ticket = self.ticket_id
        if ticket and not ticket.has_access("read"):
            return ticket.browse()
        return ticket

    @api.depends("ticket_id.partner_id", "location_id.contact_id", "fs_customer_id")
    def _compute_fs_site_contact(self):
        for order in self:
            reporter = order._fs_readable_ticket().partner_id.filtered(
                lambda p: not p.is_company
            )
            contact = reporter or order.location_id.contact_id or order.fs_customer_id
            order.fs_site_contact_id = contact
            order.fs_site_phone = (
                contact.phone or order.location_id.phone or order.fs_customer_id.phone
            )

    @api.depends("name", "ticket_id.name", "fs_customer_id", "location_id")
    def _compute_fs_appointment_title(self):
        for order in self:
            customer = order.fs_customer_id or order.location_id.partner_id
            what = order._fs_readable_ticket().name or order.name
            order.fs_appointment_title = " · ".join(
                part for part in (customer.name, what) if part
            )
