from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL

from ..sla_core import severity as core

# system parameters (Settings > Technical > System Parameters) and defaults
COMPLAINT_COUNT_PARAM = "field_service_sla.severity_complaint_count"
COMPLAINT_MINUTES_PARAM = "field_service_sla.severity_complaint_minutes"


class FsSeverityEngine(models.AbstractModel):
    """Severity for whole batches of tickets: the outage rules (now, or at a
    due time the minute cron watches) and the complaint aggregation. It asks
    the core (sla_core.severity) and writes the answers as the superuser; the
    ticket logs each change and calls the escalation hook."""

    _name = "fs.severity.engine"
    _description = "Severity engine"

    # ------------------------------------------------------------------
    # outage rules
    # ------------------------------------------------------------------
    @api.model
    def _facts(self, ticket):
        customer = ticket.commercial_partner_id
        return core.OutageFacts(
            service_type=ticket.service_type_id.id or None,
            segment=ticket.customer_segment or None,
            important=customer.is_important_customer,
            scope=ticket.impact_scope or None,
            cross_city=ticket.service_line_id.cross_city,
            tier=ticket.customer_tier_id.id or None,
        )

    @api.model
    def _assess(self, tickets, now=None):
        """Apply the outage rules to ``tickets``: the severity due now is
        given now, a later one waits in ``severity_pending`` at
        ``severity_due_date`` (for the cron), nothing waits for a restored or
        closed ticket. One rule search for the batch; one write per distinct
        outcome."""
        if not tickets:
            return
        now = now or fields.Datetime.now()
        tickets = tickets.sudo()
        rule_sets = self.env["fs.severity.rule"]._rule_sets()
        # most tickets are not assessed yet: with only rules that ask for an
        # impact, such a ticket matches none and has nothing to undo
        scoped_only = {
            company: all(rule.scope for rule in rules)
            for company, rules in rule_sets.items()
        }
        Rule = self.env["fs.severity.rule"].sudo()
        stored, raised = defaultdict(list), defaultdict(list)
        for ticket in tickets:
            company = ticket.company_id.id
            if company not in rule_sets:
                company = False
            if (
                scoped_only[company]
                and not ticket.impact_scope
                and not ticket.severity_rule_id
                and not ticket.severity_due_date
            ):
                continue
            rules = rule_sets[company]
            # a closed ticket's outage ended when it was closed at the latest
            end = ticket.restored_date or (
                (ticket.closed_date or now) if ticket.closed else None
            )
            outcome = core.assess(
                rules,
                self._facts(ticket),
                ticket.severity,
                ticket.reported_date or ticket.create_date,
                now,
                restored=end,
            )
            rule_id = outcome.rule.id if outcome.rule else False
            values = (
                rule_id,
                outcome.pending or False,
                outcome.due if outcome.pending else False,
            )
            current = (
                ticket.severity_rule_id.id,
                ticket.severity_pending,
                ticket.severity_due_date,
            )
            if values != current:
                stored[values].append(ticket.id)
            if outcome.apply:
                raised[(outcome.apply, rule_id)].append(ticket.id)
        for (rule_id, pending, due), ids in stored.items():
            tickets.browse(ids).write(
                {
                    "severity_rule_id": rule_id,
                    "severity_pending": pending,
                    "severity_due_date": due,
                }
            )
        for (severity, rule_id), ids in raised.items():
            rule = Rule.browse(rule_id)
            reason = self.env._(
                "Outage rule %(rule)s: the fault lasted more than %(minutes)s min.",
                rule=rule.display_name,
                minutes=rule.threshold_minutes,
            )
            tickets.browse(ids).with_context(
                fs_severity_source="rule",
                fs_severity_reason=reason,
                fs_severity_rule_id=rule_id,
            ).write({"severity": severity})

    @api.model
    def _cron_apply_due_severity(self, now=None):
        """Give the tickets whose rule's threshold has passed, still down,
        their severity: one indexed range scan finds them."""
        now = now or fields.Datetime.now()
        self.env["helpdesk.ticket"].flush_model(["severity_due_date", "restored_date"])
        self.env.cr.execute(
            SQL(
                "SELECT id FROM helpdesk_ticket WHERE severity_due_date <= %s "
                "AND restored_date IS NULL ORDER BY id",
                now,
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        self._assess(self.env["helpdesk.ticket"].browse(ids), now)
        return len(ids)

    # ------------------------------------------------------------------
    # complaint aggregation
    # ------------------------------------------------------------------
    @api.model
    def _aggregation_settings(self):
        """(N reports, within M) from the system parameters; the parameters
        refuse bad values, a value broken otherwise falls back to the default."""
        get = self.env["ir.config_parameter"].sudo().get_param
        try:
            count = int(get(COMPLAINT_COUNT_PARAM, core.DEFAULT_COMPLAINTS))
            minutes = int(
                get(
                    COMPLAINT_MINUTES_PARAM,
                    int(core.DEFAULT_COMPLAINT_WINDOW.total_seconds() // 60),
                )
            )
            window = timedelta(minutes=minutes)
            core.check_aggregation(count, window)
        except (TypeError, ValueError):
            return core.DEFAULT_COMPLAINTS, core.DEFAULT_COMPLAINT_WINDOW
        return count, window

    @api.model
    def _report_of(self, ticket):
        """The ticket as the aggregation counts it, or None when it does not
        count (not an ordinary group customer, no service type or city)."""
        if not (
            ticket.active
            and ticket.service_type_id
            and ticket.fs_city
            and ticket.reported_date
            and ticket.customer_segment == core.ENTERPRISE
            and not ticket.commercial_partner_id.is_important_customer
        ):
            return None
        return core.Report(
            ticket.id,
            (ticket.company_id.id, ticket.service_type_id.id, ticket.fs_city),
            ticket.reported_date,
            incident=ticket.incident_id.id or None,
        )

    @api.model
    def _aggregate(self, tickets):
        """Count ``tickets`` (new reports, or reports whose service type, city
        or time changed) with the other reports of their service type and city
        around their time: one query for the whole batch. A cluster links its
        reports to one incident and makes them all severe."""
        tickets = tickets.sudo()
        new = {}
        for ticket in tickets:
            report = self._report_of(ticket)
            if report:
                new[ticket.id] = report
        if not new:
            return
        count, window = self._aggregation_settings()
        others = self._reports_around(list(new.values()), window)
        clusters = [
            c
            for c in core.aggregate([*others, *new.values()], count, window)
            if any(r.id in new for r in c.reports)
        ]
        if clusters:
            self._apply_clusters(clusters, count, window)

    @api.model
    def _reports_around(self, reports, window):
        """The other counted reports of the same keys within ``window`` of the
        given ones, as core reports."""
        self.env["helpdesk.ticket"].flush_model(
            [
                "active",
                "company_id",
                "service_type_id",
                "fs_city",
                "reported_date",
                "customer_segment",
                "commercial_partner_id",
                "incident_id",
            ]
        )
        self.env["res.partner"].flush_model(["is_important_customer"])
        keys = sorted({r.key for r in reports})
        self.env.cr.execute(
            SQL(
                """
                SELECT t.id, t.company_id, t.service_type_id, t.fs_city,
                       t.reported_date, t.incident_id
                  FROM helpdesk_ticket t
                  JOIN unnest(%s::int[], %s::int[], %s::varchar[])
                       AS k(company_id, service_type_id, city)
                    ON t.company_id = k.company_id
                   AND t.service_type_id = k.service_type_id
                   AND t.fs_city = k.city
             LEFT JOIN res_partner c ON c.id = t.commercial_partner_id
                 WHERE t.active
                   AND t.customer_segment = %s
                   AND NOT COALESCE(c.is_important_customer, FALSE)
                   AND t.reported_date BETWEEN %s AND %s
                   AND t.id <> ALL(%s)
              ORDER BY t.id
                """,
                [k[0] for k in keys],
                [k[1] for k in keys],
                [k[2] for k in keys],
                core.ENTERPRISE,
                min(r.time for r in reports) - window,
                max(r.time for r in reports) + window,
                [r.id for r in reports],
            )
        )
        return [
            core.Report(tid, (company, service_type, city), reported, incident=inc)
            for tid, company, service_type, city, reported, inc in (
                self.env.cr.fetchall()
            )
        ]

    @api.model
    def _link_clusters(self, clusters, incident_values, reason, source):
        """What a cluster of reports does, whoever formed it (the complaint
        aggregation, the alarm correlation): an incident for each cluster
        that has none yet (``incident_values(cluster)``), its reports linked
        to it, and those below severe raised, logged with ``reason(cluster,
        incident)`` as coming from ``source``. Returns the new incidents."""
        Ticket = self.env["helpdesk.ticket"].sudo()
        Incident = self.env["fs.incident"].sudo()
        forming = [c for c in clusters if c.incident is None]
        created = Incident.create([incident_values(c) for c in forming])
        for cluster, incident in zip(forming, created, strict=True):
            cluster.incident = incident.id
        for cluster in clusters:
            incident = Incident.browse(cluster.incident)
            members = Ticket.browse(cluster.ids)
            members.filtered(lambda t: not t.incident_id).write(
                {"incident_id": incident.id}
            )
            to_raise = members.filtered(
                lambda t: core.RANK[t.severity] < core.RANK[core.SEVERE]
            )
            if to_raise:
                to_raise.with_context(
                    fs_severity_source=source,
                    fs_severity_reason=reason(cluster, incident),
                    fs_severity_incident_id=incident.id,
                ).write({"severity": core.SEVERE})
        return created

    @api.model
    def _apply_clusters(self, clusters, count, window):
        minutes = int(window.total_seconds() // 60)
        created = self._link_clusters(
            clusters,
            lambda c: {
                "company_id": c.key[0],
                "service_type_id": c.key[1],
                "city": c.key[2],
                "start_date": c.start,
                "severe_date": next(r.time for r in c.reports if r.id == c.severe_from),
                "severe_from_ticket_id": c.severe_from,
            },
            lambda c, incident: self.env._(
                "%(count)s or more reports of %(service)s in %(city)s within "
                "%(minutes)s min from ordinary group customers: incident "
                "%(incident)s.",
                count=count,
                service=incident.service_type_id.display_name,
                city=incident.city,
                minutes=minutes,
                incident=incident.name,
            ),
            "aggregation",
        )
        for incident in created:
            incident._message_log(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "Severe from report %(ticket)s: %(count)s reports within "
                    "%(minutes)s min.",
                    ticket=incident.severe_from_ticket_id.display_name,
                    count=count,
                    minutes=minutes,
                )
            )
