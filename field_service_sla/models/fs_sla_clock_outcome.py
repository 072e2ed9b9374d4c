from odoo import api, fields, models

from ..sla_core import MISSED, ON_TIME, OPEN, RUNNING, milestone_outcome

OUTCOME_SELECTION = [
    (ON_TIME, "On time"),
    (MISSED, "Missed"),
    (OPEN, "Not assessed yet"),
]


def outcome_values(outcome):
    """The stored measures of one outcome: what the pivot and the monthly
    report sum (``on_time_rate`` averages to the rate over assessed clocks)."""
    return {
        "sla_outcome": outcome,
        "on_time_count": int(outcome == ON_TIME),
        "missed_count": int(outcome == MISSED),
        "on_time_rate": 100.0 if outcome == ON_TIME else 0.0,
    }


class FsSlaClock(models.Model):
    """Each milestone judged as the monthly report judges it (the rule is
    ``sla_core.outcome.milestone_outcome``), stored so that the SLA
    milestones pivot and the report count the same clocks the same way, and
    the ticket's month and groupings readable on the clock for the pivot."""

    _inherit = "fs.sla.clock"

    sla_outcome = fields.Selection(
        OUTCOME_SELECTION,
        string="Assessment",
        compute="_compute_sla_outcome",
        store=True,
        help="On time: reached without a counted breach (or its breach waived). "
        "Missed: a counted breach, or never reached on a closed ticket. Not "
        "assessed yet: not reached on a ticket still open.",
    )
    on_time_count = fields.Integer(
        string="On time", compute="_compute_sla_outcome", store=True
    )
    missed_count = fields.Integer(
        string="Missed", compute="_compute_sla_outcome", store=True
    )
    on_time_rate = fields.Float(
        string="On-time rate (%)",
        compute="_compute_sla_outcome",
        store=True,
        aggregator="avg",
        help="100 for a milestone on time, 0 for one missed: averaged, the "
        "on-time rate. Read it with the Assessed filter on, since a milestone "
        "not assessed yet counts 0 here.",
    )
    ticket_reported_date = fields.Datetime(
        related="ticket_id.reported_date", string="Reported at"
    )
    ticket_tier_id = fields.Many2one(
        related="ticket_id.customer_tier_id", string="Customer tier"
    )
    ticket_service_type_id = fields.Many2one(
        related="ticket_id.service_type_id", string="Service type"
    )
    ticket_team_id = fields.Many2one(related="ticket_id.team_id", string="Team")

    @api.model
    def _outcome(self, values, closed):
        return milestone_outcome(
            reached=bool(values.get("reached_date")),
            breach_counted=bool(values.get("breach_count")),
            breach_waived=bool(values.get("breach_waived")),
            ticket_closed=bool(closed),
            running=values.get("state") == RUNNING,
        )

    @api.depends(
        "state",
        "reached_date",
        "breach_count",
        "breach_waived",
        "ticket_id.stage_id.closed",
    )
    def _compute_sla_outcome(self):
        for clock in self:
            values = {
                "reached_date": clock.reached_date,
                "breach_count": clock.breach_count,
                "breach_waived": clock.breach_waived,
                "state": clock.state,
            }
            clock.update(outcome_values(self._outcome(values, clock.ticket_id.closed)))


class FsSlaEngine(models.AbstractModel):
    _inherit = "fs.sla.engine"

    def _new_clock_key(self, ticket):
        return (*super()._new_clock_key(ticket), ticket.closed)

    def _new_clock_values(self, ticket, values):
        """The engine inserts clocks without the ORM: it fills the stored
        outcome itself, as it does the breach count."""
        values = super()._new_clock_values(ticket, values)
        clocks = self.env["fs.sla.clock"]
        values.update(outcome_values(clocks._outcome(values, ticket.closed)))
        return values
