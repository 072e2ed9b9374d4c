from odoo import api, fields, models
from odoo.exceptions import UserError

from ..sla_core.planned_work import Window, assurance_conflicts
from .fs_planned_work import local_minute


class FsPlannedWork(models.Model):
    """A cutover may not break into a customer's special assurance period:
    notifying one whose window overlaps a declared period on an affected
    line is refused, unless an SLA administrator accepted the overlap with a
    reason (the planned work's override_reason, as for overlapping cutovers).
    The overlap is the core's (assurance_conflicts)."""

    _inherit = "fs.planned.work"

    assurance_period_ids = fields.Many2many(
        "fs.assurance.period",
        string="Assurance periods",
        compute="_compute_assurance_conflicts",
        help="Declared special assurance periods of affected customers that "
        "this window overlaps.",
    )
    assurance_note = fields.Text(
        string="Assurance periods overlapped",
        compute="_compute_assurance_conflicts",
    )

    @api.depends("date_start", "date_end", "line_ids.service_line_id")
    def _compute_assurance_conflicts(self):
        dated = self.filtered(lambda w: w.date_start and w.date_end and w.line_ids)
        periods = self.env["fs.assurance.period"]
        if dated:
            # one search for all the windows: the declared periods of the
            # affected customers overlapping any of them
            periods = periods.sudo().search(
                [
                    ("state", "=", "declared"),
                    (
                        "partner_id",
                        "in",
                        dated.line_ids.service_line_id.partner_id.ids,
                    ),
                    ("date_start", "<", max(dated.mapped("date_end"))),
                    ("date_end", ">", min(dated.mapped("date_start"))),
                ]
            )
        candidates = [
            (
                p.id,
                p.partner_id.id,
                Window(p.date_start, p.date_end),
                None if p.all_lines else p.line_ids.ids,
            )
            for p in periods
        ]
        Line = self.env["fs.service.line"]
        for work in self:
            if work not in dated or not candidates:
                work.assurance_period_ids = False
                work.assurance_note = False
                continue
            by_customer = {}
            for line in work.line_ids.service_line_id:
                by_customer.setdefault(line.partner_id.id, []).append(line.id)
            found = assurance_conflicts(
                Window(work.date_start, work.date_end), by_customer, candidates
            )
            hit = periods.browse(sorted(found))
            work.assurance_period_ids = hit
            work.assurance_note = (
                "\n".join(
                    self.env._(
                        "%(period)s of %(customer)s (%(start)s - %(end)s): %(lines)s",
                        period=period.name,
                        customer=period.partner_id.display_name,
                        start=local_minute(self, period.date_start),
                        end=local_minute(self, period.date_end),
                        lines=", ".join(
                            Line.browse(sorted(found[period.id])).mapped("circuit_ref")
                        ),
                    )
                    for period in hit
                )
                or False
            )

    def _check_can_notify(self):
        super()._check_can_notify()
        for work in self:
            if work.assurance_period_ids and not work.overridden:
                raise UserError(
                    self.env._(
                        "%(work)s falls in special assurance periods of its "
                        "customers:\n%(periods)s\nMove the window, or have an SLA "
                        "administrator accept the overlap with a reason.",
                        work=work.display_name,
                        periods=work.assurance_note,
                    )
                )
