from odoo import api, fields, models
from odoo.tools import SQL

from ..sla_core import DEFAULT_REPEAT_DAYS, is_fault

# changing these may change whether later tickets of the line are repeats
POSITION_FIELDS = {"service_line_id", "reported_date"}

# Is each target ticket a repeated fault: a fault whose line had another fault
# within the repeat window of the customer's tier before it (an earlier report,
# or one at the same instant recorded before it: sla_core.visits). The
# targets are the tickets asked for plus the tickets reported on the given
# lines after the given times, within the longest window (those may gain or
# lose the earlier fault they repeat).
REPEATED_SQL = """
WITH after AS (
    SELECT * FROM unnest(%(lines)s::int[], %(dates)s::timestamp[]) AS a(line, at)
), targets AS (
    SELECT id FROM helpdesk_ticket WHERE id = ANY(%(ids)s)
     UNION
    SELECT o.id
      FROM after a
      JOIN helpdesk_ticket o ON o.service_line_id = a.line
     WHERE o.reported_date >= a.at
       AND o.reported_date <= a.at + make_interval(days => (
           SELECT GREATEST(COALESCE(max(repeat_window_days), 0), %(default)s)
             FROM fs_customer_tier))
)
SELECT t.id, t.fs_repeated_fault,
       COALESCE(t.fs_is_fault, FALSE) AND EXISTS (
           SELECT 1 FROM helpdesk_ticket o
            WHERE o.service_line_id = t.service_line_id
              AND o.fs_is_fault AND o.id != t.id
              AND o.reported_date >= t.reported_date - make_interval(
                  days => COALESCE(tier.repeat_window_days, %(default)s))
              AND (o.reported_date < t.reported_date
                   OR (o.reported_date = t.reported_date AND o.id < t.id)))
  FROM targets
  JOIN helpdesk_ticket t ON t.id = targets.id
  LEFT JOIN fs_customer_tier tier ON tier.id = t.customer_tier_id
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
        """One query for the whole batch; the later tickets of the same lines
        whose flag this batch changes are corrected in the same pass."""
        real = self.filtered("id")
        (self - real).fs_repeated_fault = False
        if not real:
            return
        flags = real._fs_repeat_flags(real._fs_positions())
        for ticket in real:
            ticket.fs_repeated_fault = flags.pop(ticket.id, (False, False))[1]
        self._fs_store_neighbour_flags(flags)

    def _fs_positions(self):
        return [
            (t.service_line_id.id, t.reported_date)
            for t in self
            if t.service_line_id and t.reported_date
        ]

    def _fs_repeat_flags(self, positions):
        """``{ticket id: (stored flag, flag by the rule)}`` for ``self`` and
        for the tickets reported after ``positions`` ((line id, time) pairs)
        on the same lines, within the longest repeat window."""
        self.env["helpdesk.ticket"].flush_model(
            ["service_line_id", "reported_date", "fs_is_fault", "customer_tier_id"]
        )
        rows = self.env.execute_query(
            SQL(
                REPEATED_SQL,
                ids=list(self.ids),
                lines=[line for line, _at in positions],
                dates=[at for _line, at in positions],
                default=DEFAULT_REPEAT_DAYS,
            )
        )
        return {tid: (bool(stored), bool(flag)) for tid, stored, flag in rows}

    @api.model
    def _fs_store_neighbour_flags(self, flags):
        """Store the flags of tickets outside the batch that changed: a plain
        UPDATE (the flag drives nothing else), the cache told."""
        changed = {tid: flag for tid, (stored, flag) in flags.items() if stored != flag}
        if not changed:
            return
        self.env.execute_query(
            SQL(
                "UPDATE helpdesk_ticket t SET fs_repeated_fault = c.flag"
                "  FROM unnest(%s::int[], %s::bool[]) AS c(id, flag)"
                " WHERE t.id = c.id",
                list(changed),
                list(changed.values()),
            )
        )
        self.browse(list(changed)).invalidate_recordset(["fs_repeated_fault"])

    def _fs_refresh_repeats_after(self, positions):
        if positions:
            self._fs_store_neighbour_flags(
                self.browse()._fs_repeat_flags(positions)
            )

    def write(self, vals):
        moved = POSITION_FIELDS & set(vals)
        before = self.sudo()._fs_positions() if moved else None
        result = super().write(vals)
        if before:
            # the tickets after the old places lose (or keep) their repeat
            self.flush_recordset(["fs_repeated_fault"])
            self.sudo()._fs_refresh_repeats_after(before)
        return result

    def unlink(self):
        before = self.sudo()._fs_positions()
        result = super().unlink()
        self.env["helpdesk.ticket"].sudo()._fs_refresh_repeats_after(before)
        return result
