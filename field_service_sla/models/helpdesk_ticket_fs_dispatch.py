from odoo import api, fields, models

from .fsm_order_dispatch import QUEUE_REASONS


class HelpdeskTicket(models.Model):
    """A new fault ticket that needs field work is marked here and the
    dispatch job triggered, once per batch: its field order is made and
    dispatched by fs.dispatch.engine, outside the ticket's creation (which
    stays as fast as plain helpdesk_mgmt's)."""

    _name = "helpdesk.ticket"
    _inherit = ["helpdesk.ticket", "fs.dispatch.guard.mixin"]
    _fs_engine_fields = ("fs_dispatch_pending", "fs_dispatch_reason")

    fs_dispatch_pending = fields.Boolean(
        "Awaiting dispatch",
        compute="_compute_fs_dispatch_pending",
        store=True,
        readonly=True,
        copy=False,
        help="A fault needing field work whose order the automatic dispatch "
        "has not made yet.",
    )
    fs_dispatch_reason = fields.Selection(
        QUEUE_REASONS,
        string="Not dispatched because",
        readonly=True,
        copy=False,
    )

    # the job's scan: only the tickets still waiting are in it (an index of
    # every row would be written twice on each new ticket for nothing)
    _fs_dispatch_pending_idx = models.Index("(id) WHERE fs_dispatch_pending")

    @api.depends("fs_is_fault")
    def _compute_fs_dispatch_pending(self):
        # whether the service needs field work is read when the ticket
        # becomes a fault, not followed: a service type changing its flag
        # does not dispatch its old tickets again
        for ticket in self:
            ticket.fs_dispatch_pending = bool(
                ticket.fs_is_fault
                and ticket.service_line_id.service_type_id.fs_field_work
            )

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        if any(ticket.fs_dispatch_pending for ticket in tickets):
            self.env["fs.dispatch.engine"]._trigger()
        return tickets
