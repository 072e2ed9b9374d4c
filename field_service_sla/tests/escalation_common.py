from contextlib import contextmanager
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command

from .common import SlaCase


def no_commit(self, processed=0, *, remaining=None, deactivate=False):
    """The cron progress API commits: inside a test transaction it must not."""
    return float("inf")


class EscalationCase(SlaCase):
    """SlaCase plus the people escalation steps reach: department leaders, a
    team leader, shift lead and on-call engineer, a gold customer with its
    account and network managers, and the bulletin list."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Users = cls.env["res.users"].with_context(no_reset_password=True)

        def user(login, name):
            return Users.create(
                {
                    "name": name,
                    "login": login,
                    "email": f"{login}@example.com",
                    "group_ids": [
                        Command.set(
                            [cls.env.ref("field_service_sla.group_fs_dispatcher").id]
                        )
                    ],
                }
            )

        cls.head = user("esc_head", "Department Head")
        cls.leader = user("esc_leader", "Team Leader")
        cls.shift = user("esc_shift", "Shift Lead")
        cls.on_call = user("esc_oncall", "On Call")
        cls.am = user("esc_am", "Account Manager")
        cls.nm = user("esc_nm", "Network Manager")
        cls.company.fs_department_head_ids = cls.head
        cls.team.write(
            {
                "user_id": cls.leader.id,
                "fs_shift_lead_id": cls.shift.id,
                "fs_on_call_user_id": cls.on_call.id,
            }
        )
        cls.gold_customer = cls.env["res.partner"].create(
            {
                "name": "Gold Water Group",
                "is_company": True,
                "customer_segment": "enterprise",
                "customer_tier_id": cls.gold.id,
                "account_manager_id": cls.am.id,
                "network_manager_id": cls.nm.id,
            }
        )
        cls.gold_aaa = cls.env["fs.service.line"].create(
            {
                "circuit_ref": "G-AAA-1",
                "partner_id": cls.gold_customer.id,
                "service_type_id": cls.internet.id,
                "assurance_level_id": cls.aaa.id,
                "cross_city": True,
            }
        )
        cls.gold_aa = cls.env["fs.service.line"].create(
            {
                "circuit_ref": "G-AA-1",
                "partner_id": cls.gold_customer.id,
                "service_type_id": cls.internet.id,
                "assurance_level_id": cls.aa.id,
            }
        )
        cls.customer.write(
            {"account_manager_id": cls.am.id, "network_manager_id": cls.nm.id}
        )
        cls.bulletin_list = cls.env.ref("field_service_sla.sms_list_severe_faults")
        cls.bulletin_list.number_ids = [
            Command.clear(),
            Command.create({"name": "NOC", "number": "13900000001"}),
            Command.create({"name": "Network dept", "number": "13900000002"}),
            Command.create({"name": "City", "number": "13900000003"}),
        ]
        cls.engine = cls.env["fs.escalation.engine"]
        # the shipped steps exist since the install: the scenarios happen
        # before that on the calendar, and a step ignores the reaches and
        # closings that happened before it existed
        cls.env["fs.escalation.step"].flush_model()
        cls.env.cr.execute("UPDATE fs_escalation_step SET create_date = '2020-01-01'")
        cls.env["fs.escalation.step"].invalidate_model(["create_date"])
        # the database's other tickets (demo) stay out of the tests' sweeps
        cls.env.cr.execute("UPDATE fs_escalation_check SET next_check = NULL")
        cls.env.cr.execute("DELETE FROM fs_escalation_mark")
        cls.env["helpdesk.ticket"].invalidate_model(["escalation_next_check"])

    def sweep(self, at, **kw):
        with (
            freeze_time(at),
            patch.object(type(self.env["ir.cron"]), "_commit_progress", no_commit),
        ):
            return self.engine._sweep(**kw)

    @contextmanager
    def at(self, when):
        with freeze_time(when):
            yield

    def fired(self, ticket):
        """[(step name, occurrence, fired at)] of the ticket, oldest first."""
        return [
            (f.step_id.name, f.occurrence, f.fired_at)
            for f in ticket.escalation_fired_ids.sorted(lambda f: (f.fired_at, f.id))
        ]

    def sms(self):
        return self.env["sms.sms"].search([("number", "like", "+86139000000%")])

    def activities(self, ticket):
        return self.env["mail.activity"].search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)]
        )

    def make_severe(self, tickets, when):
        with freeze_time(when):
            old = {t.id: t.severity for t in tickets}
            tickets.write({"severity": "severe"})
            tickets._fs_severity_changed(old)
