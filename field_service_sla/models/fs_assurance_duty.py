import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL


class FsAssuranceDuty(models.Model):
    """A day of an assurance period's duty roster: the engineer on call that
    day. While the period runs, the escalation role "on-call engineer"
    resolves to them for tickets on the period's lines instead of the team's
    (fs_escalation_batch asks _on_call_users for a whole batch)."""

    _name = "fs.assurance.duty"
    _description = "Assurance duty"
    _order = "day, id"
    _check_company_auto = True

    period_id = fields.Many2one(
        "fs.assurance.period",
        string="Assurance period",
        required=True,
        index=True,
        ondelete="cascade",
    )
    day = fields.Date(required=True)
    user_id = fields.Many2one(
        "res.users",
        string="On-call engineer",
        required=True,
        index=True,
        domain="[('share', '=', False)]",
    )
    phone = fields.Char(related="user_id.partner_id.phone", string="Phone")
    note = fields.Char(string="Notes")
    company_id = fields.Many2one(
        related="period_id.company_id", store=True, index=True, precompute=True
    )
    partner_id = fields.Many2one(
        related="period_id.partner_id", string="Customer", store=True
    )
    period_name = fields.Char(related="period_id.name", string="Event")
    period_state = fields.Selection(related="period_id.state", string="Status")
    date_start = fields.Datetime(related="period_id.date_start")
    date_end = fields.Datetime(related="period_id.date_end")

    _period_day_uniq = models.Constraint(
        "UNIQUE(period_id, day)",
        "A period's roster names one on-call engineer per day.",
    )

    @api.constrains("day", "period_id")
    def _check_day(self):
        for duty in self:
            period = duty.period_id
            tz = pytz.timezone(period.company_id._fs_operator_tz())
            first = pytz.utc.localize(period.date_start).astimezone(tz).date()
            last = pytz.utc.localize(period.date_end).astimezone(tz).date()
            if not first <= duty.day <= last:
                raise ValidationError(
                    self.env._(
                        "%(period)s: %(day)s is not a day of the period "
                        "(%(first)s to %(last)s).",
                        period=period.display_name,
                        day=duty.day,
                        first=first,
                        last=last,
                    )
                )

    @api.model
    def _on_call_users(self, tickets, zones, now):
        """``tickets``: {id: object with company_id}; ``zones``: {company id:
        time zone}. Returns {ticket id: user id} of the engineer on call
        today (the company's local day) under a declared period holding
        ``now`` on the ticket's line: one query for the batch."""
        if not tickets:
            return {}
        days = {
            company: pytz.utc.localize(now).astimezone(pytz.timezone(tz)).date()
            for company, tz in zones.items()
        }
        for model, names in (
            (
                "fs.assurance.period",
                [
                    "state",
                    "partner_id",
                    "company_id",
                    "date_start",
                    "date_end",
                    "all_lines",
                    "line_ids",
                ],
            ),
            ("fs.assurance.duty", ["period_id", "day", "user_id"]),
            ("fs.service.line", ["partner_id", "company_id"]),
        ):
            self.env[model].flush_model(names)
        self.env.cr.execute(
            SQL(
                """
                SELECT t.id, t.company_id, d.day, d.user_id
                  FROM helpdesk_ticket t
                  JOIN fs_service_line l ON l.id = t.service_line_id
                  JOIN fs_assurance_period p
                    ON p.partner_id = l.partner_id
                   AND p.company_id = l.company_id
                   AND p.state = 'declared'
                   AND p.date_start <= %s AND p.date_end > %s
                  JOIN fs_assurance_duty d
                    ON d.period_id = p.id AND d.day = ANY(%s)
                 WHERE t.id = ANY(%s)
                   AND (p.all_lines
                        OR EXISTS (SELECT 1 FROM fs_assurance_period_line_rel r
                                    WHERE r.period_id = p.id
                                      AND r.line_id = t.service_line_id))
                 ORDER BY p.date_start, p.id
                """,
                now,
                now,
                sorted(set(days.values())),
                list(tickets),
            )
        )
        found = {}
        for ticket_id, company_id, day, user_id in self.env.cr.fetchall():
            if day == days.get(company_id) and ticket_id not in found:
                found[ticket_id] = user_id
        return found
