"""Each milestone clock judged on time, missed or open, free of Odoo: the
rule the SLA milestones pivot stores on the clock (fs_sla_clock_outcome) and
the monthly customer-response report counts.

* missed: it has a breach that counts (breached and not waived);
* on time: otherwise, when it was reached (by its deadline, or late with
  the breach waived by an SLA administrator) or its breach was waived;
* missed too: the ticket is closed and the milestone was never reached,
  its clock not running (stopped by the close, or never started): closing
  a ticket pauses its clocks, but a milestone it never reached is not
  "paused", it was not done;
* open: not reached yet on a ticket still open, or a clock that runs on
  after the close (the fault report is due after it): not judged yet.
"""

ON_TIME = "on_time"
MISSED = "missed"
OPEN = "open"
OUTCOMES = (ON_TIME, MISSED, OPEN)


def milestone_outcome(
    *, reached, breach_counted, breach_waived, ticket_closed, running
):
    """On time, missed or open: see the module's definitions."""
    if breach_counted:
        return MISSED
    if reached or breach_waived:
        return ON_TIME
    if ticket_closed and not running:
        return MISSED
    return OPEN


__all__ = ["MISSED", "ON_TIME", "OPEN", "OUTCOMES", "milestone_outcome"]
