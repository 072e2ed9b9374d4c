from odoo import api, fields, models
from odoo.tools import SQL

from ..sla_core import DEFAULT_REPEAT_DAYS, is_fault

# changing these moves a ticket on its line's time line
POSITION_FIELDS = {"service_line_id", "reported_date"}
# changing these may change whether later tickets of the line are repeats
FAULT_FIELDS = POSITION_FIELDS | {"active", "severity_excluded", "category_id"}

# Is each ticket a repeated fault: a fault whose line had another fault within
# the repeat window of the customer's tier before it (an earlier report, or one
# at the same instant recorded before it: sla_core.visits). The batch's own
# values come as arrays (new tickets are not written yet: reading them needs
# no flush, so the ORM still writes them in one UPDATE); the other tickets are
# read as stored. Answered for the batch and for the stored tickets reported
# after the batch's places or the given ones (``after``), within the longest
# window: those may gain or lose the earlier fault they repeat. A fault
# repeats when the fault just before it on its line (by time, then id: LAG
# over the faults read) is within its window: one sort of the faults read,
# not a scan of them per ticket (a correlated EXISTS cost 0.03 ms per
# created ticket at 6,000 tickets and grew with them).
REPEATED_SQL = """
WITH batch AS (
    SELECT * FROM unnest(%(ids)s::int[], %(lines)s::int[], %(dates)s::timestamp[],
                         %(faults)s::bool[], %(tiers)s::int[])
           AS b(id, line, at, fault, tier)
), after AS (
    SELECT line, at FROM batch WHERE line IS NOT NULL AND at IS NOT NULL
     UNION
    SELECT * FROM unnest(%(after_lines)s::int[], %(after_dates)s::timestamp[])
), span AS (
    SELECT make_interval(days => GREATEST(COALESCE(max(repeat_window_days), 0),
                                          %(default)s)) AS longest
      FROM fs_customer_tier
), bounds AS (
    SELECT a.line, min(a.at) - s.longest AS since, max(a.at) + s.longest AS until
      FROM after a, span s GROUP BY a.line, s.longest
), stored AS (
    SELECT o.id, o.service_line_id AS line, o.reported_date AS at, o.fs_is_fault AS fault,
           o.customer_tier_id AS tier, o.fs_repeated_fault AS flag
      FROM bounds
      JOIN helpdesk_ticket o ON o.service_line_id = bounds.line
     WHERE o.reported_date BETWEEN bounds.since AND bounds.until
       AND NOT o.id = ANY(%(ids)s)
), known AS (
    SELECT id, line, at,
           LAG(at) OVER (PARTITION BY line ORDER BY at, id) AS previous
      FROM (SELECT id, line, at FROM batch WHERE fault
             UNION ALL
            SELECT id, line, at FROM stored WHERE fault) k
     WHERE line IS NOT NULL AND at IS NOT NULL
), targets AS (
    SELECT id, line, at, fault, tier, NULL::bool AS flag FROM batch
     UNION ALL
    SELECT s.id, s.line, s.at, s.fault, s.tier, s.flag
      FROM stored s
     WHERE EXISTS (SELECT 1 FROM after a WHERE a.line = s.line AND s.at >= a.at)
)
SELECT t.id, t.flag,
       COALESCE(t.fault AND k.previous >= t.at - make_interval(
           days => COALESCE(tier.repeat_window_days, %(default)s)), FALSE)
  FROM targets t
  LEFT JOIN known k ON k.id = t.id
  LEFT JOIN fs_customer_tier tier ON tier.id = t.tier
"""


# The same rule over every ticket at once, from the stored columns: after a
# change no dependency reaches (a category becoming maintenance work, the
# columns' first computation in batches on an upgrade)
REPEATED_ALL_SQL = """
WITH faults AS (
    SELECT t.id, t.reported_date,
           LAG(t.reported_date) OVER (
               PARTITION BY t.service_line_id ORDER BY t.reported_date, t.id
           ) AS previous,
           COALESCE(tier.repeat_window_days, %(default)s) AS window_days
      FROM helpdesk_ticket t
      LEFT JOIN fs_customer_tier tier ON tier.id = t.customer_tier_id
     WHERE t.fs_is_fault AND t.reported_date IS NOT NULL
), flags AS (
    SELECT t.id, COALESCE(
               f.reported_date - f.previous <= make_interval(days => f.window_days),
               FALSE) AS flag
      FROM helpdesk_ticket t
      LEFT JOIN faults f ON f.id = t.id
     WHERE t.service_line_id IS NOT NULL OR t.fs_repeated_fault
)
UPDATE helpdesk_ticket t SET fs_repeated_fault = flags.flag
  FROM flags
 WHERE flags.id = t.id AND t.fs_repeated_fault IS DISTINCT FROM flags.flag
RETURNING t.id
"""


class HelpdeskTicketCategory(models.Model):
    _inherit = "helpdesk.ticket.category"

    fs_maintenance = fields.Boolean(
        string="Maintenance work",
        help="Tickets of this category are planned maintenance (such as the "
        "follow-up of an inspection finding), not customer faults: they never "
        "count in the fault and repeat-fault rates, the monthly report's "
        "faults or the visit trigger.",
    )

    def write(self, vals):
        result = super().write(vals)
        if "fs_maintenance" in vals:
            # the tickets of the category stop (or start) being faults: the
            # repeats of every line follow, set-based
            self.env["helpdesk.ticket"].sudo()._fs_recompute_all_repeats()
        return result


class HelpdeskTicket(models.Model):
    """Whether a ticket is a customer fault, and a repeated one: stored, so
    that the rates, the monthly report and the dispatcher's filters read one
    definition (``sla_core.visits.is_fault``) from one column."""

    _inherit = "helpdesk.ticket"

    fs_is_fault = fields.Boolean(
        string="Counts as a fault",
        compute="_compute_fs_is_fault",
        store=True,
        help="A ticket on a service line, not excluded from assessment and not "
        "maintenance work: it counts in the fault and repeat-fault rates.",
    )
    fs_repeated_fault = fields.Boolean(
        string="Repeated fault",
        compute="_compute_fs_repeated_fault",
        store=True,
        help="The same service line had another fault within the repeat window "
        "of the customer's tier before this one.",
    )

    @api.depends(
        "service_line_id", "active", "severity_excluded", "category_id.fs_maintenance"
    )
    def _compute_fs_is_fault(self):
        for ticket in self:
            ticket.fs_is_fault = is_fault(
                on_line=bool(ticket.service_line_id),
                active=ticket.active,
                excluded=ticket.severity_excluded,
                maintenance=ticket.category_id.fs_maintenance,
            )

    @api.depends(
        "service_line_id",
        "reported_date",
        "fs_is_fault",
        "customer_tier_id.repeat_window_days",
    )
    def _compute_fs_repeated_fault(self):
        """One query for the whole batch; the stored tickets of the same lines
        whose flag this batch changes are corrected in the same pass."""
        real = self.filtered("id")
        (self - real).fs_repeated_fault = False
        if not real:
            return
        flags = real._fs_repeat_flags()
        for ticket in real:
            ticket.fs_repeated_fault = flags.pop(ticket.id, (None, False))[1]
        self._fs_store_neighbour_flags(flags)

    def _fs_positions(self):
        return [
            (t.service_line_id.id, t.reported_date)
            for t in self
            if t.service_line_id and t.reported_date
        ]

    def _fs_repeat_flags(self, after=()):
        """``{ticket id: (stored flag, flag by the rule)}`` for ``self`` (as
        the cache holds it; stored flag None) and for the stored tickets
        reported on the same lines after ``self`` or after ``after`` ((line
        id, time) pairs), within the longest repeat window."""
        # the windows as stored (the tickets' own values are sent)
        self.env["fs.customer.tier"].flush_model(["repeat_window_days"])
        # each ticket once (a ticket is its own row of the batch), read in
        # one pass
        values = [
            (t.id, t.service_line_id.id or None, t.reported_date or None,
             t.fs_is_fault, t.customer_tier_id.id or None)
            for t in self.browse(dict.fromkeys(self._ids))
        ]  # fmt: skip
        ids, lines, dates, faults, tiers = (
            map(list, zip(*values, strict=True)) if values else ([],) * 5
        )
        rows = self.env.execute_query(
            SQL(
                REPEATED_SQL,
                ids=ids,
                lines=lines,
                dates=dates,
                faults=faults,
                tiers=tiers,
                after_lines=[line for line, _at in after],
                after_dates=[at for _line, at in after],
                default=DEFAULT_REPEAT_DAYS,
            )
        )
        return {tid: (stored, bool(flag)) for tid, stored, flag in rows}

    @api.model
    def _fs_store_neighbour_flags(self, flags):
        """Store the flags of tickets outside the batch that changed: a plain
        UPDATE (the flag drives nothing else), the cache told. A flag the
        ORM computed but did not write yet is written first, then corrected
        (its stored value said nothing)."""
        field = self._fields["fs_repeated_fault"]
        pending = self.env._field_dirty.get(field, ())
        changed = {
            tid: flag
            for tid, (stored, flag) in flags.items()
            if tid in pending or bool(stored) != flag
        }
        if not changed:
            return
        records = self.browse(list(changed))
        records.flush_recordset(["fs_repeated_fault"])
        self.env.execute_query(
            SQL(
                "UPDATE helpdesk_ticket t SET fs_repeated_fault = c.flag"
                "  FROM unnest(%s::int[], %s::bool[]) AS c(id, flag)"
                " WHERE t.id = c.id AND t.fs_repeated_fault IS DISTINCT FROM c.flag",
                list(changed),
                list(changed.values()),
            )
        )
        records.invalidate_recordset(["fs_repeated_fault"], flush=False)

    @api.model
    def _fs_recompute_all_repeats(self):
        """Every ticket's repeated-fault flag by the rule, in one statement;
        returns how many changed."""
        self.env["helpdesk.ticket"].flush_model(
            ["fs_is_fault", "fs_repeated_fault", "service_line_id", "reported_date"]
        )
        self.env["fs.customer.tier"].flush_model(["repeat_window_days"])
        changed = self.env.execute_query(
            SQL(REPEATED_ALL_SQL, default=DEFAULT_REPEAT_DAYS)
        )
        self.env["helpdesk.ticket"].invalidate_model(["fs_repeated_fault"], flush=False)
        return len(changed)

    def write(self, vals):
        """The later faults of the lines are told at once: a repeat of a
        ticket that stops being a fault, moves or comes is one no more (or
        becomes one), and no dependency of the ORM reaches other tickets."""
        touched = FAULT_FIELDS & set(vals)
        before = self.sudo()._fs_positions() if POSITION_FIELDS & touched else []
        result = super().write(vals)
        if touched:
            tickets = self.sudo()
            flags = tickets._fs_repeat_flags(before)
            for tid in tickets.ids:
                flags.pop(tid, None)  # their own flag: the ORM's recompute
            self._fs_store_neighbour_flags(flags)
        return result

    def unlink(self):
        before = self.sudo()._fs_positions()
        result = super().unlink()
        if before:
            Ticket = self.env["helpdesk.ticket"].sudo()
            Ticket._fs_store_neighbour_flags(Ticket._fs_repeat_flags(before))
        return result
