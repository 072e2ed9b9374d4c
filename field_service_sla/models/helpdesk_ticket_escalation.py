from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

ESCALATION_LEVELS = [("city", "City"), ("province", "Province")]
# each ticket's next escalation check as the sweep will see it: its stored
# next check, or the earliest mark not folded in yet, if sooner
_EFFECTIVE = SQL(
    """(SELECT coalesce(c.ticket_id, m.ticket_id) AS ticket_id,
               LEAST(c.next_check, m.at) AS next_check
          FROM fs_escalation_check c
     FULL JOIN (SELECT ticket_id, min(marked_at) AS at
                  FROM fs_escalation_mark GROUP BY ticket_id) m
            ON m.ticket_id = c.ticket_id)"""
)


class HelpdeskTicket(models.Model):
    """What escalation adds to the ticket: its level, when the sweep looks at
    it next, its history and the city's request button. The work is in
    fs.escalation.engine and fs.escalation.actions."""

    _inherit = "helpdesk.ticket"

    escalation_level = fields.Selection(
        ESCALATION_LEVELS,
        default="city",
        required=True,
        copy=False,
        tracking=True,
    )
    # most tickets stay at city level: only the rare province ones indexed
    _escalation_province_idx = models.Index(
        "(escalation_level) WHERE escalation_level = 'province'"
    )
    # A new ticket is due for a look at once (the sweep finds what applies to
    # it); afterwards the engine stores the next time a step may fire, or
    # nothing when only an event can make one due. Kept in the engine's own
    # table (fs_escalation_check, see fs.escalation.engine.init), read here.
    escalation_next_check = fields.Datetime(
        string="Next escalation check",
        compute="_compute_escalation_next_check",
        search="_search_escalation_next_check",
    )
    escalation_requested_date = fields.Datetime(
        string="Escalation requested", copy=False, readonly=True
    )
    escalation_fired_ids = fields.One2many(
        "fs.escalation.fired", "ticket_id", string="Escalation history", copy=False
    )
    escalation_fired_count = fields.Integer(compute="_compute_escalation_fired_count")

    def _compute_escalation_next_check(self):
        # the engine's next check, or the earliest mark not yet folded in
        ids = [id_ for id_ in self.ids if isinstance(id_, int)]
        self.env.cr.execute(
            """
            SELECT t.id,
                   LEAST((SELECT next_check FROM fs_escalation_check
                           WHERE ticket_id = t.id),
                         (SELECT min(marked_at) FROM fs_escalation_mark
                           WHERE ticket_id = t.id))
              FROM unnest(%s::int[]) AS t(id)
            """,
            (ids,),
        )
        next_checks = dict(self.env.cr.fetchall())
        for ticket in self:
            ticket.escalation_next_check = next_checks.get(ticket.id) or False

    def _search_escalation_next_check(self, operator, value):
        if operator not in ("in", "<", "<=", ">", ">="):
            return NotImplemented
        values = value if operator == "in" else [value]
        times = [fields.Datetime.to_datetime(v) for v in values if v]
        if operator in ("<", "<="):
            if not times:
                return NotImplemented
            # the earliest of the two is before: either is (both indexed)
            return [
                (
                    "id",
                    "in",
                    SQL(
                        "SELECT ticket_id FROM fs_escalation_check"
                        " WHERE next_check %s %s"
                        " UNION SELECT ticket_id FROM fs_escalation_mark"
                        " WHERE marked_at %s %s",
                        SQL(operator),
                        times[0],
                        SQL(operator),
                        times[0],
                    ),
                )
            ]
        if operator != "in":
            if not times:
                return NotImplemented
            return [
                (
                    "id",
                    "in",
                    SQL(
                        "SELECT ticket_id FROM %s AS e WHERE next_check %s %s",
                        _EFFECTIVE,
                        SQL(operator),
                        times[0],
                    ),
                )
            ]
        domain = [
            (
                "id",
                "in",
                SQL(
                    "SELECT ticket_id FROM %s AS e WHERE next_check = ANY(%s)",
                    _EFFECTIVE,
                    times,
                ),
            )
        ]
        if len(times) < len(values):  # no next check: no row, or no time
            domain = [
                "|",
                *domain,
                (
                    "id",
                    "not in",
                    SQL(
                        "SELECT ticket_id FROM %s AS e WHERE next_check IS NOT NULL",
                        _EFFECTIVE,
                    ),
                ),
            ]
        return domain

    @api.depends("escalation_fired_ids")
    def _compute_escalation_fired_count(self):
        for ticket in self:
            ticket.escalation_fired_count = len(ticket.escalation_fired_ids)

    @api.model_create_multi
    def create(self, vals_list):
        # new tickets are due at once, in one INSERT: the clock sync need not
        # mark them again
        tickets = super(
            HelpdeskTicket, self.with_context(fs_escalation_new=True)
        ).create(vals_list)
        self.env["fs.escalation.engine"]._add(tickets.ids)
        return tickets.with_env(self.env)

    def _fs_severity_changed(self, old_severities):
        result = super()._fs_severity_changed(old_severities)
        self.env["fs.escalation.engine"]._mark(self.ids)
        return result

    def action_request_province_escalation(self):
        """The city asks the province to take the ticket over: the ladders'
        "escalation requested" steps do it now."""
        if not self._sla_user_can_dispatch():
            raise UserError(self.env._("Only a dispatcher may request an escalation."))
        open_tickets = self.filtered(
            lambda t: not t.closed and t.escalation_level == "city"
        )
        if not open_tickets:
            raise UserError(
                self.env._(
                    "Only an open ticket still handled by the city can be escalated."
                )
            )
        now = fields.Datetime.now()
        open_tickets.sudo().with_context(fs_sla_no_sync=True).write(
            {"escalation_requested_date": now}
        )
        fired = self.env["fs.escalation.engine"]._escalate_now(open_tickets, now)
        missing = (
            open_tickets - fired.filtered(lambda f: f.trigger == "manual").ticket_id
        )
        if missing:
            raise UserError(
                self.env._(
                    "No active escalation ladder handles a request from the city "
                    "for %s: ask an SLA administrator to set one up.",
                    ", ".join(missing.mapped("display_name")),
                )
            )
        return True
