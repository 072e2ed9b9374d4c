from odoo import api, models
from odoo.exceptions import ValidationError


class FsmOrder(models.Model):
    """No field order on a holiday (fieldservice's rule, batched)."""

    _inherit = "fsm.order"

    @api.constrains("scheduled_date_start")
    def check_day(self):
        """OCA's rule (no order on a holiday: a leave lying within the order's
        scheduled time), with one search for the whole batch instead of one
        per order: generated inspection orders come by thousands."""
        dated = self.filtered("scheduled_date_start")
        if not dated:
            return
        ends = [d for d in dated.mapped("scheduled_date_end") if d]
        domain = [("date_from", ">=", min(dated.mapped("scheduled_date_start")))]
        if ends and len(ends) == len(dated):
            domain.append(("date_to", "<=", max(ends)))
        leaves = self.env["resource.calendar.leaves"].search(domain)
        for rec in dated:
            holidays = leaves.filtered(
                lambda h, r=rec: (
                    h.date_from >= r.scheduled_date_start
                    and r.scheduled_date_end
                    and h.date_to <= r.scheduled_date_end
                )
            )
            if holidays:
                msg = (
                    f"{rec.scheduled_date_start.date()} is a holiday {holidays[0].name}"
                )
                raise ValidationError(self.env._(msg))
