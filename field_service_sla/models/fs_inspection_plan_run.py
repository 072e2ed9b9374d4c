from datetime import datetime, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..sla_core import inspection as core


class FsInspectionPlan(models.Model):
    """Running the plans: on the company's local date, by the daily cron or
    by the dispatcher's button, which says what it made or why it made
    nothing."""

    _inherit = "fs.inspection.plan"

    @api.model
    def _local_today(self, company):
        """Today in the operator's time zone: a plan date is a local day, and
        in Shanghai the morning is still yesterday in UTC."""
        tz = pytz.timezone(company._fs_operator_tz())
        return datetime.now(pytz.utc).astimezone(tz).date()

    def _run(self):
        """Generate each company's plans from its local today."""
        created = self.env["fs.inspection"]
        for company, plans in self.grouped("company_id").items():
            created |= plans._generate(self._local_today(company))
        return created

    @api.model
    def _cron_generate(self):
        self.search([])._run()

    def action_generate(self):
        if not self.env.user.has_group("field_service_sla.group_fs_dispatcher"):
            raise AccessError(
                self.env._("Only dispatchers generate inspection orders.")
            )
        inactive = self.filtered(lambda p: not p.active)
        if inactive:
            raise UserError(
                self.env._(
                    "The inspection plan %s is archived: restore it before "
                    "generating its orders.",
                    ", ".join(inactive.mapped("name")),
                )
            )
        created = self._run()
        if not created:
            return self._notify(
                self.env._("No inspection order generated"),
                "\n".join(plan._nothing_due_reason() for plan in self),
                "warning",
            )
        today = {company: self._local_today(company) for company in created.company_id}
        overdue = created.filtered(lambda i: i.planned_date < today[i.company_id])
        unassigned = created.filtered(lambda i: not i.user_id)
        lines = [
            self.env._(
                "%(count)s inspection orders generated, planned from %(first)s "
                "to %(last)s.",
                count=len(created),
                first=min(created.mapped("planned_date")),
                last=max(created.mapped("planned_date")),
            )
        ]
        if overdue:
            lines.append(
                self.env._(
                    "%s of them are overdue: their date had passed without an order.",
                    len(overdue),
                )
            )
        if unassigned:
            lines.append(
                self.env._(
                    "%s have no technician: their location has no usual worker "
                    "(the location's Workers, or its territory's primary "
                    "worker); a dispatcher assigns them.",
                    len(unassigned),
                )
            )
        return self._notify(
            self.env._("Inspection orders generated"),
            "\n".join(lines),
            "warning" if unassigned else "success",
        )

    def _nothing_due_reason(self):
        """Why this plan generated nothing today, in words a dispatcher can
        act on."""
        self.ensure_one()
        located = self.env["fs.service.line"].search_count(
            [
                ("partner_id.customer_tier_id", "=", self.tier_id.id),
                ("location_id", "!=", False),
                ("company_id", "=", self.company_id.id),
            ]
            + (
                [("service_type_id", "in", self.template_id.service_type_ids.ids)]
                if self.template_id.service_type_ids
                else []
            ),
            limit=1,
        )
        if not located:
            return self.env._(
                "%(plan)s: no customer of the tier %(tier)s has a service line "
                "with a location (of the template's service types): there is "
                "no site to inspect.",
                plan=self.name,
                tier=self.tier_id.display_name,
            )
        today = self._local_today(self.company_id)
        end = today + timedelta(days=self.horizon_days)
        if self.anchor_date >= end:
            return self.env._(
                "%(plan)s: nothing is due yet: its first inspection is on "
                "%(first)s, and orders are generated %(days)s days ahead.",
                plan=self.name,
                first=fields.Date.to_string(self.anchor_date),
                days=self.horizon_days,
            )
        following = core.occurrences(
            self.anchor_date,
            self.interval_months,
            end,
            core.add_months(end, self.interval_months) + timedelta(days=1),
        )
        return self.env._(
            "%(plan)s: nothing is due: every site's inspection up to %(end)s "
            "is already generated. The next plan date after that is %(next)s.",
            plan=self.name,
            end=fields.Date.to_string(end - timedelta(days=1)),
            next=fields.Date.to_string(following[0]) if following else "-",
        )

    def _notify(self, title, message, kind):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": title,
                "message": message,
                "type": kind,
                "sticky": kind != "success",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }
