import json
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from psycopg2.extensions import ISOLATION_LEVEL_READ_COMMITTED

from odoo import api, fields, models
from odoo.sql_db import Cursor
from odoo.tools import SQL

from ..sla_core import alarms as core

# pg_advisory_xact_lock(namespace, company): one company's deliveries are
# applied one at a time, so that two of them never both open a ticket for a
# line (the intake runs in READ COMMITTED: after the lock it sees what the
# previous delivery committed)
LOCK_NAMESPACE = 0x46_53_41_4C  # "FSAL"
MAX_ITEMS_PARAM = "field_service_sla.alarm_max_items"
FLAP_MINUTES_PARAM = "field_service_sla.alarm_flap_minutes"
CORRELATION_LINES_PARAM = "field_service_sla.alarm_correlation_lines"
CORRELATION_MINUTES_PARAM = "field_service_sla.alarm_correlation_minutes"


@dataclass
class _Alarm:
    """An alarm while a delivery is applied: as stored, then as the request's
    items leave it."""

    id: int | None
    ref: str
    stored: core.Stored | None
    event: core.AlarmIn | None = None
    clear_key: str | None = None
    changed: bool = False
    raised: list = field(default_factory=list)  # (event, verdict) NEW/REARM
    lines: list = field(default_factory=list)
    element: str | None = None
    match_state: str | None = None


@dataclass(frozen=True)
class _Pending:
    id: int | None
    alarm_id: str | None
    clear_key: str | None
    cleared_at: object
    raw: dict | None = None


class FsAlarmIntake(models.AbstractModel):
    """Applies a delivery of alarms and clears: one request of N items costs a
    number of queries that does not grow with N, and a request is all or
    nothing. The rules are in sla_core.alarms; the tickets part is in
    fs_alarm_tickets.py."""

    _name = "fs.alarm.intake"
    _description = "Alarm intake"

    # ------------------------------------------------------------------
    # settings
    # ------------------------------------------------------------------
    @api.model
    def _max_items(self):
        return self.env["ir.config_parameter"]._fs_int(
            MAX_ITEMS_PARAM, core.MAX_ITEMS, 1
        )

    @api.model
    def _flap_window(self):
        minutes = self.env["ir.config_parameter"]._fs_int(
            FLAP_MINUTES_PARAM, int(core.DEFAULT_FLAP_WINDOW.total_seconds() // 60), 0
        )
        return core.timedelta(minutes=minutes)

    @api.model
    def _correlation_settings(self):
        lines = self.env["ir.config_parameter"]._fs_int(
            CORRELATION_LINES_PARAM, core.DEFAULT_CORRELATION_LINES, 2
        )
        minutes = self.env["ir.config_parameter"]._fs_int(
            CORRELATION_MINUTES_PARAM,
            int(core.DEFAULT_CORRELATION_WINDOW.total_seconds() // 60),
            1,
        )
        return lines, core.timedelta(minutes=minutes)

    # ------------------------------------------------------------------
    # a delivery
    # ------------------------------------------------------------------
    @api.model
    def _ingest_in_own_transaction(self, source, payload):
        """``_ingest`` all or nothing, committed in a transaction of its own
        in READ COMMITTED: after the intake's lock it then sees what the
        delivery before it committed (see LOCK_NAMESPACE). Under tests the
        registry hands out a test cursor (a savepoint of the test's
        transaction), whose isolation is the test's."""
        with self.env.registry.cursor() as cr:
            if isinstance(cr, Cursor):
                cr.connection.set_isolation_level(ISOLATION_LEVEL_READ_COMMITTED)
            env = api.Environment(cr, self.env.uid, {}, su=True)
            return env["fs.alarm.intake"]._ingest(
                env["fs.alarm.source"].browse(source.id), payload
            )

    @api.model
    def _ingest(self, source, payload):
        """Apply ``payload`` (decoded JSON) from ``source``. The caller has
        authenticated the source and runs this as superuser. Raises
        ``core.AlarmInputError`` before writing anything when an item is bad.
        Returns the counts and each item's outcome."""
        now = fields.Datetime.now()
        events = core.parse_request(
            payload, now, ZoneInfo(source._fs_zone()), self._max_items()
        )
        index_of = {id(e): i for i, e in enumerate(events)}
        self.env.cr.execute(
            "SELECT pg_advisory_xact_lock(%s, %s)",
            (LOCK_NAMESPACE, source.company_id.id),
        )
        alarms = self._load_alarms(source, events)
        pending = self._load_pending(source, events)
        outcomes, new_pending, used_pending = self._apply_events(
            events, alarms, pending
        )
        raised = [a for a in alarms.values() if a.raised]
        self._match(source, raised, index_of)
        self._write_alarms(source, [a for a in alarms.values() if a.changed])
        self._write_pending(source, new_pending, used_pending)
        touched = self._alarm_tickets(source, alarms.values(), now)
        return {
            "accepted": len(events),
            "alarms": len({a.ref for a in alarms.values() if a.id}),
            "tickets": touched,
            "outcomes": outcomes,
        }

    @api.model
    def _load_alarms(self, source, events):
        refs = sorted({e.alarm_id for e in events if e.alarm_id})
        keys = sorted({e.clear_key for e in events if e.clear_key})
        self.env.cr.execute(
            SQL(
                """
                SELECT id, alarm_ref, clear_key, raised_at, last_seen, cleared_at,
                       count, flap_count, match_state
                  FROM fs_alarm
                 WHERE source_id = %s
                   AND (alarm_ref = ANY(%s)
                        OR (clear_key = ANY(%s) AND cleared_at IS NULL))
                """,
                source.id,
                refs,
                keys,
            )
        )
        alarms = {}
        for row in self.env.cr.fetchall():
            aid, ref, key, raised, seen, cleared, count, flaps, match = row
            alarms[ref] = _Alarm(
                aid,
                ref,
                core.Stored(raised, seen, cleared, count, flaps),
                clear_key=key,
                match_state=match,
            )
        return alarms

    @api.model
    def _load_pending(self, source, events):
        names = sorted(
            {e.alarm_id for e in events if e.state == core.RAISED}
            | {e.clear_key for e in events if e.state == core.RAISED and e.clear_key}
        )
        if not names:
            return []
        self.env.cr.execute(
            SQL(
                """
                SELECT id, alarm_ref, clear_key, cleared_at
                  FROM fs_alarm_clear
                 WHERE source_id = %s
                   AND (alarm_ref = ANY(%s) OR clear_key = ANY(%s))
                """,
                source.id,
                names,
                names,
            )
        )
        return [_Pending(*row) for row in self.env.cr.fetchall()]

    @api.model
    def _apply_events(self, events, alarms, pending):
        """Run the request's items in order through the core's rules,
        updating ``alarms`` ({ref: _Alarm}); returns each item's outcome, the
        clears to keep pending and the pending ones applied."""
        outcomes, new_pending, used = [], [], {}
        for event in events:
            if event.state == core.RAISED:
                alarm = alarms.get(event.alarm_id) or alarms.setdefault(
                    event.alarm_id, _Alarm(None, event.alarm_id, None)
                )
                verdict, after = core.apply_raise(alarm.stored, event)
                if verdict == core.NEW:
                    waiting = [p for p in pending + new_pending if id(p) not in used]
                    clear = core.pending_clear_for(event, waiting)
                    if clear is not None:
                        after.cleared_at = clear.cleared_at
                        used[id(clear)] = clear
                if verdict != core.SAME:
                    alarm.stored, alarm.event, alarm.changed = after, event, True
                    alarm.clear_key = event.clear_key or alarm.clear_key
                if verdict in (core.NEW, core.REARM):
                    alarm.raised.append((event, verdict))
                outcomes.append({"alarm_id": event.alarm_id, "outcome": verdict})
                continue
            targets = [
                a
                for a in alarms.values()
                if a.stored is not None
                and (
                    a.ref == event.alarm_id
                    or (event.clear_key and a.clear_key == event.clear_key)
                )
            ]
            if not targets:
                new_pending.append(
                    _Pending(
                        None,
                        event.alarm_id,
                        event.clear_key,
                        event.cleared_at,
                        event.raw,
                    )
                )
                outcomes.append({"alarm_id": event.alarm_id, "outcome": "pending"})
                continue
            verdicts = set()
            for alarm in targets:
                verdict, after = core.apply_clear(alarm.stored, event)
                verdicts.add(verdict)
                if verdict == core.CLEAR:
                    alarm.stored, alarm.changed = after, True
                    alarm.event = alarm.event or event
            outcome = core.CLEAR if core.CLEAR in verdicts else min(verdicts)
            outcomes.append({"alarm_id": event.alarm_id, "outcome": outcome})
        return outcomes, new_pending, used

    # ------------------------------------------------------------------
    # matching
    # ------------------------------------------------------------------
    @api.model
    def _match(self, source, raised, index_of):
        """The lines each newly raised alarm reaches. An alarm naming a circuit
        raised before its line existed is refused; a line behind an element
        that came after the raise is left out."""
        if not raised:
            return
        events = [event for alarm in raised for event, _v in alarm.raised]
        index, created = self._line_index(source.company_id, events)
        for alarm in raised:
            event = alarm.raised[-1][0]
            lines = index.lines(event)
            by_circuit = event.circuit_ref and event.circuit_ref in index.by_circuit
            if by_circuit and event.raised_at < created[lines[0]]:
                raise core.AlarmInputError(
                    "before_line", "raised_at", index_of.get(id(event))
                )
            alarm.lines = [line for line in lines if created[line] <= event.last_seen]
            alarm.element = (
                index.element_of(event, alarm.lines[0]) if alarm.lines else None
            )
            if alarm.lines:
                alarm.match_state = "matched"
            elif alarm.match_state != "manual":
                alarm.match_state = "unmatched"

    @api.model
    def _line_index(self, company, events):
        """A core LineIndex of the lines the events can reach (their circuits,
        and the mapping rows of their elements, of the elements behind them
        and of the circuits' lines), and {line: created} for them."""
        self.env["fs.service.line"].flush_model(["circuit_ref", "active"])
        circuits = sorted({e.circuit_ref for e in events if e.circuit_ref})
        elements = sorted({e.element for e in events if e.element})
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                SELECT circuit_ref, id, create_date
                  FROM fs_service_line
                 WHERE company_id = %s AND active AND circuit_ref = ANY(%s)
                """,
                company.id,
                circuits,
            )
        )
        by_circuit, created = {}, {}
        for ref, line, date in cr.fetchall():
            by_circuit[ref] = line
            created[line] = date
        cr.execute(
            SQL(
                """
                SELECT m.service_line_id, e.name, m.port, u.name, l.create_date
                  FROM fs_network_mapping m
                  JOIN fs_network_element e ON e.id = m.element_id
             LEFT JOIN fs_network_element u ON u.id = e.upstream_id
                  JOIN fs_service_line l ON l.id = m.service_line_id AND l.active
                 WHERE m.company_id = %s
                   AND (e.name = ANY(%s) OR u.name = ANY(%s)
                        OR m.service_line_id = ANY(%s))
              ORDER BY m.service_line_id, m.id
                """,
                company.id,
                elements,
                elements,
                list(created),
            )
        )
        rows = []
        for line, element, port, upstream, date in cr.fetchall():
            rows.append(core.MappingRow(line, element, port, upstream))
            created[line] = date
        return core.LineIndex(by_circuit, rows), created

    # ------------------------------------------------------------------
    # writing
    # ------------------------------------------------------------------
    @api.model
    def _write_alarms(self, source, changed):
        """Insert or update the changed alarms in one statement, then their
        lines. The unique (source, alarm id) makes a concurrent duplicate the
        same row."""
        if not changed:
            return
        rows = []
        for a in changed:
            event, stored = a.event, a.stored
            rows.append(
                (
                    a.ref,
                    a.clear_key,
                    event.circuit_ref,
                    event.element,
                    event.port,
                    a.element,
                    event.alarm_type,
                    event.severity,
                    event.text,
                    json.dumps(event.raw, ensure_ascii=False, default=str),
                    stored.raised_at,
                    stored.last_seen,
                    stored.cleared_at,
                    stored.count,
                    stored.flaps,
                    "active" if stored.active else "cleared",
                    a.match_state or "unmatched",
                )
            )
        columns = list(zip(*rows, strict=True))
        uid = self.env.uid
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO fs_alarm AS a (
                    source_id, company_id, alarm_ref, clear_key, circuit_ref,
                    element, port, correlation_element, alarm_type,
                    perceived_severity, text, payload, raised_at, last_seen,
                    cleared_at, count, flap_count, state, match_state,
                    create_uid, write_uid, create_date, write_date)
                SELECT %(source)s, %(company)s, r.*, %(uid)s, %(uid)s,
                       now() at time zone 'UTC', now() at time zone 'UTC'
                  FROM unnest(
                    %(ref)s::varchar[], %(key)s::varchar[], %(circuit)s::varchar[],
                    %(element)s::varchar[], %(port)s::varchar[],
                    %(corr)s::varchar[], %(type)s::varchar[], %(sev)s::varchar[],
                    %(text)s::text[], %(payload)s::jsonb[],
                    %(raised)s::timestamp[], %(seen)s::timestamp[],
                    %(cleared)s::timestamp[], %(count)s::int[], %(flaps)s::int[],
                    %(state)s::varchar[], %(match)s::varchar[]) AS r
                ON CONFLICT (source_id, alarm_ref) DO UPDATE SET
                    clear_key = COALESCE(EXCLUDED.clear_key, a.clear_key),
                    circuit_ref = COALESCE(EXCLUDED.circuit_ref, a.circuit_ref),
                    element = COALESCE(EXCLUDED.element, a.element),
                    port = COALESCE(EXCLUDED.port, a.port),
                    correlation_element = COALESCE(
                        EXCLUDED.correlation_element, a.correlation_element),
                    alarm_type = COALESCE(EXCLUDED.alarm_type, a.alarm_type),
                    perceived_severity = COALESCE(
                        EXCLUDED.perceived_severity, a.perceived_severity),
                    text = COALESCE(EXCLUDED.text, a.text),
                    payload = EXCLUDED.payload,
                    last_seen = EXCLUDED.last_seen,
                    cleared_at = EXCLUDED.cleared_at,
                    count = EXCLUDED.count,
                    flap_count = EXCLUDED.flap_count,
                    state = EXCLUDED.state,
                    match_state = EXCLUDED.match_state,
                    write_uid = EXCLUDED.write_uid,
                    write_date = EXCLUDED.write_date
                RETURNING alarm_ref, id
                """,
                source=source.id,
                company=source.company_id.id,
                uid=uid,
                ref=list(columns[0]),
                key=list(columns[1]),
                circuit=list(columns[2]),
                element=list(columns[3]),
                port=list(columns[4]),
                corr=list(columns[5]),
                type=list(columns[6]),
                sev=list(columns[7]),
                text=list(columns[8]),
                payload=list(columns[9]),
                raised=list(columns[10]),
                seen=list(columns[11]),
                cleared=list(columns[12]),
                count=list(columns[13]),
                flaps=list(columns[14]),
                state=list(columns[15]),
                match=list(columns[16]),
            )
        )
        ids = dict(self.env.cr.fetchall())
        for alarm in changed:
            alarm.id = ids[alarm.ref]
        pairs = [(a.id, line) for a in changed for line in a.lines]
        if pairs:
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO fs_alarm_service_line_rel (alarm_id, line_id)
                    SELECT * FROM unnest(%s::int[], %s::int[])
                    ON CONFLICT DO NOTHING
                    """,
                    [p[0] for p in pairs],
                    [p[1] for p in pairs],
                )
            )
        self.env["fs.alarm"].invalidate_model()

    @api.model
    def _write_pending(self, source, new_pending, used):
        cr = self.env.cr
        new_pending = [p for p in new_pending]
        if new_pending:
            cr.execute(
                SQL(
                    """
                    INSERT INTO fs_alarm_clear (
                        source_id, company_id, alarm_ref, clear_key, cleared_at,
                        payload, create_uid, write_uid, create_date, write_date)
                    SELECT %s, %s, r.*, %s, %s, now() at time zone 'UTC',
                           now() at time zone 'UTC'
                      FROM unnest(%s::varchar[], %s::varchar[], %s::timestamp[],
                                  %s::jsonb[]) AS r
                    ON CONFLICT DO NOTHING
                    """,
                    source.id,
                    source.company_id.id,
                    self.env.uid,
                    self.env.uid,
                    [p.alarm_id for p in new_pending],
                    [p.clear_key for p in new_pending],
                    [p.cleared_at for p in new_pending],
                    [
                        json.dumps(p.raw, ensure_ascii=False, default=str)
                        for p in new_pending
                    ],
                )
            )
        stored = [p.id for p in used.values() if p.id]
        if stored:
            cr.execute(SQL("DELETE FROM fs_alarm_clear WHERE id = ANY(%s)", stored))
        self.env["fs.alarm.clear"].invalidate_model()
