from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..sla_core import dispatch as core

DISPATCH_MODES = [
    ("auto", "Automatic"),
    ("queue", "Dispatcher's queue"),
    ("manual", "By a dispatcher"),
]
QUEUE_REASONS = [
    (core.NO_AREA, "No area for the line or customer"),
    (core.NO_TEAM, "No crew covers the area"),
    (core.NO_WORKER, "The covering crew has no active worker"),
    (core.NO_SKILL, "No worker of the crew has the skill"),
    (core.NO_LOCATION, "No site to send a crew to"),
]
WORKER_FIELDS = {"person_id", "person_ids"}


class FsmOrder(models.Model):
    """How a fault's field order was dispatched: automatically by the
    service (fs.dispatch.engine), queued for a dispatcher with the reason,
    or by a dispatcher. Stored, so that the pivot and the monthly workbook
    give the automatic-dispatch success rate (自动派单成功率) per area and
    team."""

    _name = "fsm.order"
    _inherit = ["fsm.order", "fs.dispatch.guard.mixin"]
    _fs_engine_fields = (
        "fs_area_id",
        "fs_dispatch_mode",
        "fs_dispatch_reason",
        "fs_dispatch_pending",
        "fs_auto_dispatch_rate",
    )

    fs_area_id = fields.Many2one(
        "res.territory",
        string="Area",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The area (包区) the order was dispatched for: the line's, else "
        "the customer's, else the site's territory.",
    )
    fs_dispatch_mode = fields.Selection(
        DISPATCH_MODES,
        string="Dispatch",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Automatic: the service gave the order to the covering crew's "
        "worker. Dispatcher's queue: it could not, see the reason. By a "
        "dispatcher: a dispatcher assigned it. Empty: not a fault's order "
        "(an inspection).",
    )
    fs_dispatch_reason = fields.Selection(
        QUEUE_REASONS,
        string="Queued because",
        readonly=True,
        copy=False,
    )
    fs_dispatch_pending = fields.Boolean(
        "Awaiting dispatch",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Made by hand for a ticket without a worker: the automatic "
        "dispatch gives it a crew within a minute.",
    )
    fs_auto_dispatch_rate = fields.Float(
        "Automatic dispatch rate (%)",
        compute="_compute_fs_auto_dispatch_rate",
        store=True,
        precompute=True,
        aggregator="avg",
        digits=(5, 1),
        help="100 for an order dispatched automatically, 0 for one queued or "
        "dispatched by hand: its average over the fault orders is the "
        "automatic-dispatch success rate.",
    )

    @api.depends("fs_dispatch_mode")
    def _compute_fs_auto_dispatch_rate(self):
        for order in self:
            order.fs_auto_dispatch_rate = (
                100.0 if order.fs_dispatch_mode == "auto" else 0.0
            )

    @api.model_create_multi
    def create(self, vals_list):
        pending = False
        for vals in vals_list:
            if "fs_dispatch_mode" in vals or not vals.get("ticket_id"):
                continue  # the engine's own, or not a fault's order
            workers = vals.get("person_id") or vals.get("person_ids")
            # the engine's keys, set here on the user's behalf (the guard
            # would refuse them from the user): done after the guard below
            vals["_fs_dispatch"] = "manual" if workers else "pending"
            pending = pending or not workers
        marks = [vals.pop("_fs_dispatch", None) for vals in vals_list]
        orders = super().create(vals_list)
        manual = self.browse(
            [o.id for o, m in zip(orders, marks, strict=True) if m == "manual"]
        )
        waiting = self.browse(
            [o.id for o, m in zip(orders, marks, strict=True) if m == "pending"]
        )
        if manual:
            manual.sudo().write({"fs_dispatch_mode": "manual"})
            manual.sudo()._fs_set_area()
        if waiting:
            waiting.sudo().write({"fs_dispatch_pending": True})
        # a ticket that got no order (no site) has one now
        undone = orders.sudo().ticket_id.filtered("fs_dispatch_reason")
        if undone:
            undone.write({"fs_dispatch_reason": False})
        if pending:
            self.env["fs.dispatch.engine"]._trigger()
        return orders

    def write(self, vals):
        result = super().write(vals)
        if vals.keys() & WORKER_FIELDS and "fs_dispatch_mode" not in vals:
            # a dispatcher assigning a queued (or waiting) order dispatches it
            by_hand = self.filtered(
                lambda o: (o.person_id or o.person_ids)
                and (
                    o.fs_dispatch_mode == "queue"
                    or o.fs_dispatch_pending
                    or (not o.fs_dispatch_mode and o.ticket_id)
                )
            )
            if by_hand:
                by_hand.sudo().write(
                    {
                        "fs_dispatch_mode": "manual",
                        "fs_dispatch_reason": False,
                        "fs_dispatch_pending": False,
                    }
                )
                if "team_id" not in vals:
                    # a queued order waits on the default team: it follows
                    # the worker given to the worker's crew
                    crews = by_hand.sudo().grouped(
                        lambda o: (o.person_id or o.person_ids[:1]).team_id
                    )
                    for crew, orders in crews.items():
                        if crew and orders.filtered(lambda o, c=crew: o.team_id != c):
                            orders.write({"team_id": crew.id})
                by_hand.filtered(lambda o: not o.fs_area_id).sudo()._fs_set_area()
        return result

    def _fs_set_area(self):
        """Record the area that applies (the dispatch's rule) on orders
        dispatched by hand, so that they count in their area's rate."""
        areas = self.env["fs.dispatch.engine"]._areas_of_orders(self)
        for area, orders in self.grouped(lambda o: areas.get(o.id) or 0).items():
            if area:
                orders.write({"fs_area_id": area})

    def action_fs_dispatch(self):
        """Dispatch again by the rules (after the areas, crews or skills were
        set): the order goes to the covering crew's skilled worker with the
        fewest open orders, or stays queued with the new reason. Dispatchers
        only; what they dispatch this way counts as dispatched by hand."""
        if not (
            self.env.su
            or self.env.user.has_group("field_service_sla.group_fs_dispatcher")
        ):
            raise AccessError(
                self.env._("Only a dispatcher dispatches field orders.")
            )
        self.check_access("write")
        # a fault's orders only: an inspection is planned, not dispatched,
        # and does not count in the success rate
        self.env["fs.dispatch.engine"].sudo()._dispatch_orders(
            self.sudo().filtered("ticket_id"), mode="manual"
        )
        return True
