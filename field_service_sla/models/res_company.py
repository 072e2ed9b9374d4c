from collections import Counter

from odoo import api, fields, models

from odoo.addons.base.models.res_partner import _tz_get


class ResCompany(models.Model):
    _inherit = "res.company"

    fs_department_head_ids = fields.Many2many(
        "res.users",
        "res_company_fs_department_head_rel",
        "company_id",
        "user_id",
        string="Department leaders",
        domain=[("share", "=", False)],
        help="Told by the escalation steps for department leaders (AAA faults "
        "of gold customers, severe faults).",
    )
    fs_tz = fields.Selection(
        _tz_get,
        string="Operator time zone",
        help="The time zone of everything the operator prints or sends: SMS "
        "bulletins, escalation e-mails and customer documents. Screens show "
        "each reader's own time zone.",
    )

    def _fs_operator_tz(self):
        """The time zone printed and texted times are written in: the
        company's setting, else its office calendar's, else UTC. Never the
        server's or the current user's, so that a bulletin sent by the cron
        and a PDF printed by a user abroad say the same time."""
        self.ensure_one()
        return self.fs_tz or self.resource_calendar_id.tz or "UTC"

    @api.model
    def _fs_setup_operator_tz(self):
        """Set-up (install, and the upgrade that brought the setting): each
        company without an operator time zone gets its office calendar's,
        the calendar its SLA clocks count working time in (the shipped
        monitoring-hall hours unless an administrator changed them), else
        the one of its working hours. Shown on the company form, to change."""
        Milestone = self.env["fs.sla.milestone"].sudo()
        for company in self.sudo().search([("fs_tz", "=", False)]):
            milestones = Milestone.search(
                [("policy_id.company_id", "in", (company.id, False))]
            )
            zones = Counter(m.calendar_id.tz for m in milestones if m.calendar_id.tz)
            tz = (
                zones.most_common(1)[0][0] if zones else company.resource_calendar_id.tz
            )
            if tz:
                company.fs_tz = tz
