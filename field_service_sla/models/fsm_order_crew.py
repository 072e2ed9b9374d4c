from odoo import api, fields, models

from ..sla_core import fieldwork


class FsmOrder(models.Model):
    """Who goes: the crew the customer's segment needs, and the account
    manager, told once, for important customers and wide-impact faults."""

    _inherit = "fsm.order"

    fs_customer_id = fields.Many2one(
        "res.partner",
        string="Customer",
        compute="_compute_fs_customer_id",
        store=True,
        index="btree_not_null",
    )
    fs_segment = fields.Selection(
        related="fs_customer_id.customer_segment", string="Segment"
    )
    fs_wide_impact = fields.Boolean(
        "Wide-impact fault",
        tracking=True,
        help="The account manager goes along or is told, as for important customers.",
    )
    fs_crew_size = fields.Integer("Crew", compute="_compute_fs_crew")
    fs_crew_warning = fields.Char("Crew warning", compute="_compute_fs_crew")
    fs_account_manager_told = fields.Boolean(
        "Account manager told", copy=False, readonly=True
    )

    @api.depends("ticket_id.partner_id", "location_id.owner_id")
    def _compute_fs_customer_id(self):
        for order in self:
            partner = order.ticket_id.partner_id or order.location_id.owner_id
            order.fs_customer_id = partner.commercial_partner_id

    @api.depends("person_id", "person_ids", "fs_segment")
    def _compute_fs_crew(self):
        rules = self.env["fs.fieldwork.rules"]._rules()
        for order in self:
            size = len(order.person_id | order.person_ids)
            order.fs_crew_size = size
            problem = order.fs_segment and fieldwork.crew_problem(
                order.fs_segment, size, rules
            )
            if not problem:
                order.fs_crew_warning = False
                continue
            low, high = problem
            segment = dict(self._fields["fs_segment"]._description_selection(self.env))[
                order.fs_segment
            ]
            order.fs_crew_warning = (
                self.env._(
                    "%(segment)s customers need a crew of %(low)s to %(high)s "
                    "(now %(size)s).",
                    segment=segment,
                    low=low,
                    high=high,
                    size=size,
                )
                if low != high
                else self.env._(
                    "%(segment)s customers need a crew of %(low)s (now %(size)s).",
                    segment=segment,
                    low=low,
                    size=size,
                )
            )

    def _fs_tell_account_manager(self):
        """Important customers and wide-impact faults: the account manager
        follows the order and gets an activity, once."""
        todo = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        for order in self.sudo().filtered(lambda o: not o.fs_account_manager_told):
            customer = order.fs_customer_id
            manager = customer.account_manager_id
            if not manager or not (
                customer.is_important_customer or order.fs_wide_impact
            ):
                continue
            order.message_subscribe(partner_ids=manager.partner_id.ids)
            # in the account manager's language, whoever (or whichever cron)
            # made the order
            env = self.with_context(
                lang=manager.lang or order.company_id.partner_id.lang or "en_US"
            ).env
            order.activity_schedule(
                activity_type_id=todo.id if todo else False,
                user_id=manager.id,
                summary=env._("Field order for %s", customer.display_name),
                note=env._(
                    "Important customer or wide-impact fault: join the crew or "
                    "follow up with the customer."
                ),
            )
            order.fs_account_manager_told = True
