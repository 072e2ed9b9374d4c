from odoo import api, fields, models

from ..sla_core import (
    DEFAULT_RATE_WINDOW_DAYS,
    FaultStats,
    rate_reason,
)

# One statement for any number of customers (sla_core.visits defines the
# figures): the faults of the look-back (``fs_is_fault``, the one definition
# of a fault), whether each repeats an earlier one (``fs_repeated_fault``,
# stored by the same rule), then faults, repeats and lines per customer.
FAULT_FIGURES_SQL = """
WITH params AS (
    SELECT p.id AS partner_id,
           COALESCE(t.rate_window_days, %(window)s) AS window_days,
           COALESCE(t.fault_rate_threshold, 0) AS fault_threshold,
           COALESCE(t.repeat_rate_threshold, 0) AS repeat_threshold
      FROM res_partner p
      LEFT JOIN fs_customer_tier t ON t.id = p.customer_tier_id
     WHERE p.id = ANY(%(ids)s)
), counted AS (
    SELECT l.partner_id, t.service_line_id, t.fs_repeated_fault AS repeated
      FROM helpdesk_ticket t
      JOIN fs_service_line l ON l.id = t.service_line_id
      JOIN params p ON p.partner_id = l.partner_id
     WHERE t.fs_is_fault
       AND t.reported_date <= %(now)s
       AND t.reported_date >= %(now)s - make_interval(days => p.window_days)
), fault_counts AS (
    SELECT partner_id, count(*) AS faults, count(*) FILTER (WHERE repeated) AS repeats
      FROM counted GROUP BY partner_id
), line_counts AS (
    SELECT l.partner_id, count(*) AS lines
      FROM fs_service_line l
     WHERE l.partner_id = ANY(%(ids)s)
       AND (l.active OR l.id IN (SELECT service_line_id FROM counted))
     GROUP BY l.partner_id
)
SELECT p.partner_id, p.window_days, p.fault_threshold, p.repeat_threshold,
       COALESCE(lc.lines, 0), COALESCE(fc.faults, 0), COALESCE(fc.repeats, 0)
  FROM params p
  LEFT JOIN line_counts lc ON lc.partner_id = p.partner_id
  LEFT JOIN fault_counts fc ON fc.partner_id = p.partner_id
"""


class ResPartner(models.Model):
    """A customer's fault rate and repeat-fault rate, computed when read (see
    ``_fs_fault_figures``): they slide with time, so stored values would be
    stale by the next day without a nightly rewrite of every customer."""

    _inherit = "res.partner"

    fs_fault_count = fields.Integer(
        string="Faults (window)", compute="_compute_fs_fault_figures"
    )
    fs_repeat_count = fields.Integer(
        string="Repeated faults (window)", compute="_compute_fs_fault_figures"
    )
    fs_fault_line_count = fields.Integer(
        string="Lines counted", compute="_compute_fs_fault_figures"
    )
    fs_rate_window_days = fields.Integer(
        string="Over the last (days)", compute="_compute_fs_fault_figures"
    )
    fs_fault_rate = fields.Float(
        string="Fault rate",
        digits=(16, 2),
        compute="_compute_fs_fault_figures",
        help="Faults per service line over the window of the customer's tier.",
    )
    fs_repeat_rate = fields.Float(
        string="Repeat-fault rate",
        compute="_compute_fs_fault_figures",
        help="Share of the faults of the window whose service line had "
        "another fault shortly before.",
    )
    fs_rate_alert = fields.Boolean(
        string="Rates above threshold",
        compute="_compute_fs_fault_figures",
        help="The fault rate or the repeat-fault rate is above the threshold "
        "of the customer's tier: a visit is due.",
    )
    fs_visit_count = fields.Integer(string="Visits", compute="_compute_fs_visit_count")

    def _compute_fs_fault_figures(self):
        figures = self._fs_fault_figures()
        for partner in self:
            stats, window, reason = figures.get(
                partner.id, (FaultStats(0, 0, 0), DEFAULT_RATE_WINDOW_DAYS, None)
            )
            partner.fs_fault_count = stats.faults
            partner.fs_repeat_count = stats.repeats
            partner.fs_fault_line_count = stats.lines
            partner.fs_rate_window_days = window
            partner.fs_fault_rate = stats.fault_rate
            partner.fs_repeat_rate = stats.repeat_rate
            partner.fs_rate_alert = bool(reason)

    @api.model
    def _fs_fault_figures_for(self, partner_ids, now=None):
        """``{partner id: (FaultStats, window days, rate reason or None)}``
        for any number of customers, in one query. Counts every fault of the
        customers' lines (``fs_is_fault``) whatever the reader may see: the figures describe
        the customer, not the reader's share of its tickets."""
        if not partner_ids:
            return {}
        self.env.flush_all()
        self.env.cr.execute(
            FAULT_FIGURES_SQL,
            {
                "ids": list(partner_ids),
                "now": now or fields.Datetime.now(),
                "window": DEFAULT_RATE_WINDOW_DAYS,
            },
        )
        result = {}
        for pid, window, f_thr, r_thr, lines, faults, repeats in self.env.cr.fetchall():
            stats = FaultStats(lines=lines, faults=faults, repeats=repeats)
            result[pid] = (stats, window, rate_reason(stats, f_thr, r_thr))
        return result

    def _fs_fault_figures(self, now=None):
        return self._fs_fault_figures_for([p.id for p in self if p.id], now)

    def _compute_fs_visit_count(self):
        visits = self.env["fs.visit"]
        counts = {}
        if visits.has_access("read"):
            counts = dict(
                visits._read_group(
                    [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
                )
            )
        for partner in self:
            partner.fs_visit_count = counts.get(partner, 0)

    def action_view_fs_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "field_service_sla.fs_visit_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
