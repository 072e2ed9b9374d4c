from odoo import api, models

from .fs_sla_engine import SUMMARY_SET

# the ticket's SLA status and next deadline, derived from its clocks
SUMMARY_FIELDS = ("sla_state", "sla_deadline")


class FsSlaEngine(models.AbstractModel):
    """The ticket's stored SLA summary (status and next deadline), derived
    from its clocks after every sync and by the breach sweep."""

    _inherit = "fs.sla.engine"

    @api.model
    def _set_summary(self, tickets, summaries):
        """Give these tickets the status and next deadline the engine has just
        worked out from their clocks, ``{ticket id: (status, deadline)}``,
        through the ORM's cache: new tickets have their computed fields to
        write anyway, and the status goes in that same UPDATE. Writing it in
        SQL was a second UPDATE of every new ticket: a new row version, one
        entry more in each of the ticket's indexes and its foreign keys
        checked again (a row inserted by the same transaction is re-checked
        on every update). _refresh_summary, run after, leaves them be (the
        sync passes their ids in the context: SUMMARY_SET)."""
        if not tickets:
            return
        names = SUMMARY_FIELDS
        by_value = [{}, {}]  # per field: {value: [ticket ids]}, one write each
        for ticket_id, summary in summaries.items():
            for values, value in zip(by_value, summary, strict=True):
                values.setdefault(value or False, []).append(ticket_id)
        with self.env.protecting([tickets._fields[name] for name in names], tickets):
            for name, values in zip(names, by_value, strict=True):
                for value, ids in values.items():
                    tickets.browse(ids)[name] = value
        tickets.modified(names)

    @api.model
    def _refresh_summary(self, ticket_ids):
        """Ticket SLA status and next deadline, derived from the clocks in one
        set-based UPDATE (used after every sync and by the breach sweep).
        The tickets the running sync has summarised itself (the context's
        SUMMARY_SET, see _set_summary) are left as they are."""
        done = self.env.context.get(SUMMARY_SET)
        if done:
            done = set(done)
            ticket_ids = [id_ for id_ in ticket_ids if id_ not in done]
        if not ticket_ids:
            return
        self.env["fs.sla.clock"].flush_model()
        # what the ORM holds for the tickets goes first (a status _set_summary
        # gave, computed fields of new tickets: one UPDATE), so that the SQL
        # below compares with the rows as they are and its result is not
        # overwritten by a later flush
        self.env["helpdesk.ticket"].flush_model()
        self.env.cr.execute(
            """
            UPDATE helpdesk_ticket t
               SET sla_state = s.state, sla_deadline = s.next_deadline
              FROM (
                SELECT tk.id,
                       MIN(c.deadline) FILTER (WHERE c.state = 'running')
                           AS next_deadline,
                       CASE WHEN count(c.id) = 0 THEN 'none'
                            WHEN bool_or(c.state = 'breached') THEN 'breached'
                            WHEN bool_or(c.state = 'config_error')
                                THEN 'config_error'
                            WHEN bool_and(c.kind = 'report')
                                     FILTER (WHERE c.state = 'running')
                                THEN 'report_due'
                            WHEN bool_or(c.state = 'running') THEN 'running'
                            WHEN bool_or(c.state = 'paused') THEN 'paused'
                            WHEN bool_or(c.state = 'met') THEN 'met'
                            WHEN bool_or(c.state = 'pending') THEN 'pending'
                       END AS state
                  FROM helpdesk_ticket tk
             LEFT JOIN fs_sla_clock c ON c.ticket_id = tk.id
                 WHERE tk.id = ANY(%s)
              GROUP BY tk.id
              ) s
             WHERE t.id = s.id
               AND (t.sla_state IS DISTINCT FROM s.state
                    OR t.sla_deadline IS DISTINCT FROM s.next_deadline)
            """,
            (list(ticket_ids),),
        )
        self.env["helpdesk.ticket"].browse(ticket_ids).invalidate_recordset(
            ["sla_state", "sla_deadline"]
        )
