from markupsafe import Markup, escape

from odoo import api, models
from odoo.tools import SQL

from ..sla_core import alarms as core


class FsAlarmIntake(models.AbstractModel):
    """Alarm tickets behind one upstream element within the window make one
    incident (sla_core.alarms.correlate), severe as a complaint cluster's
    tickets are, through the severity engine's _link_clusters."""

    _inherit = "fs.alarm.intake"

    # ------------------------------------------------------------------
    @api.model
    def _correlate(self, company, hits):
        """Alarm tickets behind one upstream element within the window make
        one incident (see core.correlate); its tickets become severe, as a
        complaint cluster's do, and escalate as such."""
        hits = [h for h in hits if h.key]
        if not hits:
            return
        lines, window = self._correlation_settings()
        others = self._hits_around(company, hits, window)
        mine = {h.ticket for h in hits}
        seen, unique = set(), []
        for hit in [*others, *sorted(hits, key=lambda h: h.time)]:
            if hit.ticket not in seen:
                seen.add(hit.ticket)
                unique.append(hit)
        clusters = [
            c
            for c in core.correlate(unique, lines, window)
            if any(t in mine for t in c.ids)
        ]
        if clusters:
            self._apply_correlation(company, clusters, lines, window)

    @api.model
    def _hits_around(self, company, hits, window):
        self.env["helpdesk.ticket"].flush_model(
            ["fs_alarm_element", "reported_date", "incident_id", "active"]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT id, fs_alarm_element, reported_date, incident_id
                  FROM helpdesk_ticket
                 WHERE company_id = %s AND active
                   AND fs_alarm_element = ANY(%s)
                   AND reported_date BETWEEN %s AND %s
                   AND id <> ALL(%s)
              ORDER BY reported_date, id
                """,
                company.id,
                sorted({h.key[1] for h in hits}),
                min(h.time for h in hits) - window,
                max(h.time for h in hits) + window,
                sorted({h.ticket for h in hits}),
            )
        )
        return [
            core.LineHit(tid, (company.id, element), reported, incident=incident)
            for tid, element, reported, incident in self.env.cr.fetchall()
        ]

    @api.model
    def _apply_correlation(self, company, clusters, lines, window):
        env = self._ticket_env(company).env
        minutes = int(window.total_seconds() // 60)
        created = (
            env["fs.severity.engine"]
            .sudo()
            ._link_clusters(
                clusters,
                lambda c: {
                    "company_id": company.id,
                    "network_element": c.key[1],
                    "start_date": c.start,
                    "severe_date": next(
                        r.time for r in c.reports if r.id == c.severe_from
                    ),
                    "severe_from_ticket_id": c.severe_from,
                    "description": env._(
                        "Alarms on %(count)s lines behind %(element)s.",
                        count=len(c.reports),
                        element=c.key[1],
                    ),
                },
                lambda c, incident: env._(
                    "Alarms on %(count)s or more lines behind %(element)s within "
                    "%(minutes)s min: incident %(incident)s.",
                    count=lines,
                    element=c.key[1],
                    minutes=minutes,
                    incident=incident.name,
                ),
                "correlation",
            )
        )
        for incident in created:
            incident._message_log(
                body=Markup("<p>%s</p>")
                % env._(
                    "Opened by alarm correlation: lines behind %(element)s, severe "
                    "from %(ticket)s.",
                    element=escape(incident.network_element),
                    ticket=incident.severe_from_ticket_id.display_name,
                )
            )
