from collections import defaultdict
from dataclasses import dataclass

from markupsafe import Markup

from odoo import api, models
from odoo.tools import SQL

from ..sla_core import alarms as core


@dataclass(frozen=True)
class Hit:
    """An alarm on a line: it opens the line's ticket or joins it."""

    alarm: int
    line: int
    time: object
    element: str | None
    label: str


class FsAlarmIntake(models.AbstractModel):
    """From alarms to tickets: an alarm on a line with an open fault ticket
    joins it, otherwise it opens one (channel "monitoring", reported at the
    raise); flapping lines stay on their ticket; a ticket whose alarms all
    cleared says when. Correlation into incidents: fs_alarm_correlation.py;
    the restore at the clear: fs_alarm_restore.py."""

    _inherit = "fs.alarm.intake"

    @api.model
    def _alarm_tickets(self, source, alarms, now):
        """The ticket side of a delivery: returns the number of tickets the
        delivery opened or changed."""
        hits = []
        for alarm in alarms:
            if not (alarm.raised and alarm.lines):
                continue
            event, verdict = alarm.raised[0]
            time = event.raised_at if verdict == core.NEW else event.last_seen
            for line in alarm.lines:
                hits.append(
                    Hit(alarm.id, line, time, alarm.element, self._label(event))
                )
        touched = set(self._tickets_for_hits(source.company_id, hits))
        cleared = [a.id for a in alarms if a.changed and not a.stored.active]
        if cleared:
            self.env.cr.execute(
                SQL(
                    "SELECT DISTINCT ticket_id FROM fs_alarm_ticket_rel"
                    " WHERE alarm_id = ANY(%s)",
                    cleared,
                )
            )
            touched.update(r[0] for r in self.env.cr.fetchall())
        self._refresh_summary(sorted(touched))
        return len(touched)

    @api.model
    def _label(self, event):
        where = event.circuit_ref or " ".join(filter(None, (event.element, event.port)))
        return " ".join(filter(None, (event.alarm_type, where))) or event.alarm_id

    # ------------------------------------------------------------------
    # open or join
    # ------------------------------------------------------------------
    @api.model
    def _tickets_for_hits(self, company, hits):
        """Link each hit's alarm to its line's open fault ticket, opening one
        per line that has none. Returns the ticket ids."""
        if not hits:
            return []
        hits = sorted(hits, key=lambda h: (h.time, h.alarm, h.line))
        open_tickets = self._open_tickets_of_lines(sorted({h.line for h in hits}))
        flap_window = self._flap_window()
        first_hit, links, flapped, flapped_alarms = {}, [], defaultdict(int), set()
        for hit in hits:
            found = open_tickets.get(hit.line)
            if found is None:
                first_hit.setdefault(hit.line, hit)
                continue
            ticket, last_cleared, _incident = found
            if core.is_flap(last_cleared, hit.time, flap_window):
                flapped[ticket] += 1
                flapped_alarms.add(hit.alarm)
            links.append((hit.alarm, ticket))
        opened = self._open_line_tickets(company, list(first_hit.values()))
        links += [
            (hit.alarm, opened[hit.line]) for hit in hits if hit.line in first_hit
        ]
        self._link(links)
        if flapped:
            self._mark_flaps(flapped, flapped_alarms)
        ticket_of_line = {line: t for line, (t, _c, _i) in open_tickets.items()}
        ticket_of_line.update(opened)
        incident_of = {t: i for t, _c, i in open_tickets.values()}
        self._correlate(
            company,
            [
                core.LineHit(
                    ticket_of_line[hit.line],
                    (company.id, hit.element) if hit.element else None,
                    hit.time,
                    incident_of.get(ticket_of_line[hit.line]) or None,
                )
                for hit in hits
            ],
        )
        return sorted({t for _a, t in links})

    @api.model
    def _open_tickets_of_lines(self, lines):
        """{line: (ticket, alarms cleared at, incident)} of the lines' latest
        open fault ticket."""
        self.env["helpdesk.ticket"].flush_model(
            ["service_line_id", "active", "stage_id", "fs_is_fault"]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (t.service_line_id)
                       t.service_line_id, t.id, t.fs_alarms_cleared_at, t.incident_id
                  FROM helpdesk_ticket t
                  JOIN helpdesk_ticket_stage s ON s.id = t.stage_id
                 WHERE t.service_line_id = ANY(%s)
                   AND t.active AND NOT s.closed AND t.fs_is_fault
              ORDER BY t.service_line_id, t.reported_date DESC, t.id DESC
                """,
                lines,
            )
        )
        return {line: (t, c, i) for line, t, c, i in self.env.cr.fetchall()}

    @api.model
    def _ticket_env(self, company):
        """The superuser, writing in the operator's language and time zone,
        without the creation chatter a person's ticket gets (the intake logs
        its own)."""
        return (
            self.env["helpdesk.ticket"]
            .sudo()
            .with_company(company)
            .with_context(
                lang=company.partner_id.lang or "en_US",
                tz=company._fs_operator_tz(),
                mail_create_nolog=True,
                mail_create_nosubscribe=True,
                mail_notrack=True,
            )
        )

    @api.model
    def _ticket_numbers(self, company, count):
        """``count`` ticket numbers drawn in one query where helpdesk_mgmt's
        sequence allows it (a plain gaps-allowed sequence), so that a storm's
        tickets do not cost a query each; otherwise helpdesk_mgmt draws them."""
        sequence = (
            self.env["ir.sequence"]
            .sudo()
            .search(
                [
                    ("code", "=", "helpdesk.ticket.sequence"),
                    ("company_id", "in", [company.id, False]),
                ],
                order="company_id",
                limit=1,
            )
        )
        if (
            not sequence
            or sequence.implementation != "standard"
            or (sequence.use_date_range)
        ):
            return ["/"] * count
        self.env.cr.execute(
            SQL(
                "SELECT nextval(%s) FROM generate_series(1, %s)",
                f"ir_sequence_{sequence.id:03d}",
                count,
            )
        )
        return [sequence.get_next_char(n) for (n,) in self.env.cr.fetchall()]

    @api.model
    def _open_line_tickets(self, company, hits):
        """One ticket per hit's line, reported at the hit's raise, created in
        one batch (their numbers and first stage drawn once for all)."""
        if not hits:
            return {}
        Ticket = self._ticket_env(company)
        channel = self.env.ref("field_service_sla.helpdesk_ticket_channel_monitoring")
        numbers = self._ticket_numbers(company, len(hits))
        stage = self.env["helpdesk.ticket.team"]._get_applicable_stages()[:1]
        tickets = Ticket.create(
            [
                {
                    "number": number,
                    "stage_id": stage.id,
                    # nobody yet: helpdesk_mgmt would assign the caller, the
                    # source's integration user; the dispatch decides
                    "user_id": False,
                    "name": Ticket.env._("Alarm: %s", hit.label),
                    "description": Markup("<p>%s</p>") % hit.label,
                    "service_line_id": hit.line,
                    "reported_date": hit.time,
                    "channel_id": channel.id,
                    "company_id": company.id,
                    "fs_alarm_element": hit.element,
                }
                for hit, number in zip(hits, numbers, strict=True)
            ]
        )
        tickets._message_log_batch(
            bodies={
                ticket.id: Markup("<p>%s</p>")
                % Ticket.env._(
                    "Opened by a monitoring alarm: %(alarm)s, raised at %(time)s.",
                    alarm=hit.label,
                    time=Ticket.env["fs.sla.engine"]._fmt(hit.time),
                )
                for ticket, hit in zip(tickets, hits, strict=True)
            }
        )
        return {hit.line: t.id for hit, t in zip(hits, tickets, strict=True)}

    @api.model
    def _open_tickets_for(self, alarms):
        """A ticket per unmatched alarm, opened by hand from the queue: no
        line, reported at the raise, for the desk to complete."""
        opened = self.env["helpdesk.ticket"]
        for company, company_alarms in alarms.sudo().grouped("company_id").items():
            Ticket = self._ticket_env(company)
            channel = self.env.ref(
                "field_service_sla.helpdesk_ticket_channel_monitoring"
            )
            labels = {
                a.id: " ".join(
                    filter(None, (a.alarm_type, a.circuit_ref, a.element, a.port))
                )
                or a.alarm_ref
                for a in company_alarms
            }
            tickets = Ticket.create(
                [
                    {
                        "user_id": False,
                        "name": Ticket.env._("Alarm: %s", labels[a.id]),
                        "description": Markup("<p>%s</p>") % (a.text or labels[a.id]),
                        "reported_date": a.raised_at,
                        "channel_id": channel.id,
                        "company_id": company.id,
                        "fs_alarm_element": a.correlation_element or a.element,
                    }
                    for a in company_alarms
                ]
            )
            self._link(list(zip(company_alarms.ids, tickets.ids, strict=True)))
            company_alarms.write({"match_state": "manual"})
            self._refresh_summary(tickets.ids)
            opened |= tickets
        return opened.with_env(self.env)

    @api.model
    def _link(self, links):
        if not links:
            return
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO fs_alarm_ticket_rel (alarm_id, ticket_id)
                SELECT * FROM unnest(%s::int[], %s::int[])
                ON CONFLICT DO NOTHING
                """,
                [a for a, _t in links],
                [t for _a, t in links],
            )
        )
        self.env["fs.alarm"].invalidate_model(["ticket_ids"])
        self.env["helpdesk.ticket"].invalidate_model(["fs_alarm_ids"])

    @api.model
    def _mark_flaps(self, flapped, alarm_ids):
        tickets = sorted(flapped)
        self.env.cr.execute(
            SQL(
                """
                UPDATE helpdesk_ticket t
                   SET fs_alarm_flap_count = COALESCE(t.fs_alarm_flap_count, 0) + f.n
                  FROM unnest(%s::int[], %s::int[]) AS f(id, n)
                 WHERE t.id = f.id
                """,
                tickets,
                [flapped[t] for t in tickets],
            )
        )
        self.env.cr.execute(
            SQL(
                "UPDATE fs_alarm SET flap_count = flap_count + 1 WHERE id = ANY(%s)",
                sorted(alarm_ids),
            )
        )
        self.env["helpdesk.ticket"].invalidate_model(["fs_alarm_flap_count"])
        self.env["fs.alarm"].invalidate_model(["flap_count"])

    # ------------------------------------------------------------------
    # what a ticket shows of its alarms
    # ------------------------------------------------------------------
    @api.model
    def _refresh_summary(self, ticket_ids):
        """Store each ticket's alarm counts and, once all of them cleared,
        when the last one did; log that moment once in the chatter."""
        if not ticket_ids:
            return
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                WITH x AS (
                    SELECT r.ticket_id,
                           count(*) AS n,
                           count(*) FILTER (WHERE a.cleared_at IS NULL) AS active,
                           max(a.cleared_at) AS last_clear
                      FROM fs_alarm_ticket_rel r
                      JOIN fs_alarm a ON a.id = r.alarm_id
                     WHERE r.ticket_id = ANY(%s)
                  GROUP BY r.ticket_id
                ), old AS (
                    SELECT id, fs_alarms_cleared_at FROM helpdesk_ticket
                     WHERE id = ANY(%s)
                )
                UPDATE helpdesk_ticket t
                   SET fs_alarm_count = x.n,
                       fs_alarm_active_count = x.active,
                       fs_alarms_cleared_at = CASE WHEN x.active = 0
                                                   THEN x.last_clear END
                  FROM x, old
                 WHERE t.id = x.ticket_id AND old.id = t.id
                RETURNING t.id, old.fs_alarms_cleared_at, t.fs_alarms_cleared_at
                """,
                ticket_ids,
                ticket_ids,
            )
        )
        now_cleared = {
            tid: new for tid, old, new in cr.fetchall() if new and new != old
        }
        self.env["helpdesk.ticket"].invalidate_model(
            ["fs_alarm_count", "fs_alarm_active_count", "fs_alarms_cleared_at"]
        )
        if not now_cleared:
            return
        tickets = self.env["helpdesk.ticket"].sudo().browse(sorted(now_cleared))
        for company, group in tickets.grouped("company_id").items():
            env = self._ticket_env(company).env
            fmt = env["fs.sla.engine"]._fmt
            group._message_log_batch(
                bodies={
                    t.id: Markup("<p>%s</p>")
                    % env._(
                        "Alarms cleared at %s: check the service and mark it restored.",
                        fmt(now_cleared[t.id]),
                    )
                    for t in group
                }
            )
