from odoo import api, fields, models
from odoo.tools.sql import column_exists


class FsEscalationNextCheck(models.AbstractModel):
    """When the escalation sweep looks at each ticket next: the engine's own
    tables, kept up to date by the tickets' changes (_add, _mark), the
    configuration's (_recheck_open_tickets) and the sweep itself
    (_apply_marks, _store_next_checks in fs_escalation_engine)."""

    _inherit = "fs.escalation.engine"

    # ------------------------------------------------------------------
    # keeping the next check up to date
    # ------------------------------------------------------------------
    def init(self):
        """The next check of each ticket lives in a narrow table of its own,
        not on the ticket: a storm of due steps rewrites it for every ticket
        of every batch, and a row of the wide ticket table, with its sixteen
        indexes, costs several times more to rewrite than a row of two
        columns and two indexes (and the tickets' other writers never wait
        for it). A ticket without a row is looked at in the next sweep."""
        cr = self.env.cr
        cr.execute(
            """
            CREATE TABLE IF NOT EXISTS fs_escalation_check (
                ticket_id integer PRIMARY KEY
                          REFERENCES helpdesk_ticket(id) ON DELETE CASCADE,
                next_check timestamp without time zone
            );
            CREATE INDEX IF NOT EXISTS fs_escalation_check_due_index
                ON fs_escalation_check (next_check)
             WHERE next_check IS NOT NULL
            """
        )
        if column_exists(cr, "helpdesk_ticket", "escalation_next_check"):
            # where the next check lived before: moved, then dropped (the
            # field is computed from this table now)
            cr.execute(
                """
                INSERT INTO fs_escalation_check (ticket_id, next_check)
                SELECT id, escalation_next_check FROM helpdesk_ticket
                ON CONFLICT DO NOTHING
                """
            )
            cr.execute("ALTER TABLE helpdesk_ticket DROP COLUMN escalation_next_check")
        cr.execute(
            """
            INSERT INTO fs_escalation_check (ticket_id, next_check)
            SELECT t.id, %s FROM helpdesk_ticket t
             WHERE NOT EXISTS (SELECT FROM fs_escalation_check c
                                WHERE c.ticket_id = t.id)
            """,
            (fields.Datetime.now(),),
        )
        # what users' changes ask for, appended only (see _mark)
        cr.execute(
            """
            CREATE TABLE IF NOT EXISTS fs_escalation_mark (
                ticket_id integer NOT NULL
                          REFERENCES helpdesk_ticket(id) ON DELETE CASCADE,
                marked_at timestamp without time zone NOT NULL
            );
            CREATE INDEX IF NOT EXISTS fs_escalation_mark_ticket_index
                ON fs_escalation_mark (ticket_id)
            """
        )

    @api.model
    def _add(self, ticket_ids):
        """New tickets: due for a look at once (the sweep finds what applies
        to them). One INSERT per created batch."""
        if ticket_ids:
            self.env.cr.execute(
                """
                INSERT INTO fs_escalation_check (ticket_id, next_check)
                SELECT unnest(%s::int[]), %s
                ON CONFLICT (ticket_id) DO NOTHING
                """,
                (list(ticket_ids), fields.Datetime.now()),
            )

    @api.model
    def _mark(self, ticket_ids):
        """These tickets changed (clocks, severity, stage): look at them in
        the next sweep. New tickets are due already.

        Appended to fs_escalation_mark, one INSERT, never an update: users
        and the breach sweep mark tickets all the time, and an update of the
        ticket's row in fs_escalation_check, which the escalation sweep
        rewrites as it processes the ticket, failed the user's transaction
        whenever the sweep had committed that row since the user's began
        (REPEATABLE READ; measured in tests/benchmarks/bench_concurrency.py).
        The sweep folds the marks into the next checks (_apply_marks)."""
        if not ticket_ids or self.env.context.get("fs_escalation_new"):
            return
        self.env.cr.execute(
            """
            INSERT INTO fs_escalation_mark (ticket_id, marked_at)
            SELECT unnest(%s::int[]), %s
            """,
            (list(ticket_ids), fields.Datetime.now()),
        )
        self.env["helpdesk.ticket"].browse(ticket_ids).invalidate_recordset(
            ["escalation_next_check"]
        )

    @api.model
    def _apply_marks(self):
        """The sweep's side of _mark, one statement: each marked ticket's
        next check brought forward to its earliest mark (a row made for a
        ticket without one), its marks deleted. Marks and next checks
        another worker holds are left for the next sweep (SKIP LOCKED)."""
        self.env.cr.execute(
            """
            WITH marked AS (
                SELECT m.ctid AS mark, m.ticket_id, m.marked_at
                  FROM fs_escalation_mark m
                   FOR UPDATE SKIP LOCKED
            ), checks AS (
                SELECT c.ticket_id
                  FROM fs_escalation_check c
                 WHERE c.ticket_id IN (SELECT ticket_id FROM marked)
                   FOR UPDATE SKIP LOCKED
            ), missing AS (
                SELECT DISTINCT ticket_id FROM marked
                 WHERE NOT EXISTS (SELECT FROM fs_escalation_check c
                                    WHERE c.ticket_id = marked.ticket_id)
            ), applied AS (
                SELECT ticket_id, min(marked_at) AS at FROM marked
                 WHERE ticket_id IN (SELECT ticket_id FROM checks)
                    OR ticket_id IN (SELECT ticket_id FROM missing)
              GROUP BY ticket_id
            ), gone AS (
                DELETE FROM fs_escalation_mark m
                 USING marked
                 WHERE m.ctid = marked.mark
                   AND marked.ticket_id IN (SELECT ticket_id FROM applied)
            )
            INSERT INTO fs_escalation_check AS c (ticket_id, next_check)
            SELECT ticket_id, at FROM applied
            ON CONFLICT (ticket_id) DO UPDATE SET next_check = excluded.next_check
             WHERE c.next_check IS NULL OR c.next_check > excluded.next_check
            """
        )
        self.env["helpdesk.ticket"].invalidate_model(["escalation_next_check"])

    @api.model
    def _recheck_open_tickets(self):
        """A ladder or step changed: every open ticket is looked at again."""
        Ticket = self.env["helpdesk.ticket"]
        Ticket.flush_model(["stage_id"])
        self.env.cr.execute(
            """
            INSERT INTO fs_escalation_check AS c (ticket_id, next_check)
            SELECT t.id, %s FROM helpdesk_ticket t
              JOIN helpdesk_ticket_stage s ON s.id = t.stage_id
             WHERE NOT s.closed
            ON CONFLICT (ticket_id) DO UPDATE SET next_check = excluded.next_check
             WHERE c.next_check IS NULL OR c.next_check > excluded.next_check
            """,
            (fields.Datetime.now(),),
        )
        Ticket.invalidate_model(["escalation_next_check"])
