"""The service-level arithmetic, free of Odoo: deadlines, pauses, verdicts and
policy selection. The Odoo models feed it records and store its answers; it is
tested on its own (``tests/core``). Nothing in this package may import odoo."""

from .clock import (
    BREACHED,
    MET,
    PAUSED,
    PENDING,
    RUNNING,
    STATES,
    ClockReading,
    ReachedBeforeStart,
    duration_excluding,
    normalize_pauses,
    read_clock,
)
from .policy import (
    DIMENSIONS,
    PolicyRule,
    conflicting_rules,
    covers,
    find_shadowed,
    first_match,
    order_rules,
    select_policy,
)
from .circuits import normalize_circuit_ref
from .summary import ticket_summary
from .worktime import (
    AroundTheClock,
    ChunkedSchedule,
    FixedSchedule,
    NoWorkingTime,
    WorkClock,
    merge,
    subtract,
)
from .visits import (
    CADENCE,
    DEFAULT_RATE_WINDOW_DAYS,
    DEFAULT_REPEAT_DAYS,
    FAULT_RATE,
    REASONS,
    RATE_VISIT_GAP_DAYS,
    RATE_VISIT_SOON_DAYS,
    REPEAT_RATE,
    BadRateInput,
    FaultStats,
    cadence_dates,
    fault_rate,
    fault_stats,
    is_fault,
    is_repeated_fault,
    next_visit_due,
    plan_visits,
    rate_reason,
    repeat_rate,
    repeated_flags,
)
from .outcome import (
    MISSED,
    ON_TIME,
    OPEN,
    OUTCOMES,
    milestone_outcome,
)
