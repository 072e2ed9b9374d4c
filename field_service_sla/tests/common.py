from contextlib import contextmanager
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import TransactionCase

SHANGHAI = timedelta(hours=8)


def sh(*args):
    """A Shanghai wall-clock time as the naive UTC datetime Odoo stores."""
    return datetime(*args) - SHANGHAI


class SlaCase(TransactionCase):
    """A company in Asia/Shanghai, a dedicated team, and two policies of our
    own that outrank the shipped defaults for that team's tickets."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.env.user.tz = "Asia/Shanghai"
        cls.company = cls.env.company
        cls.company.resource_calendar_id.tz = "Asia/Shanghai"
        cls.office = cls.env.ref("field_service_sla.calendar_office")
        cls.aaa = cls.env.ref("field_service_sla.level_aaa")
        cls.aa = cls.env.ref("field_service_sla.level_aa")
        cls.level_std = cls.env.ref("field_service_sla.level_standard")
        cls.diamond = cls.env.ref("field_service_sla.tier_diamond")
        cls.gold = cls.env.ref("field_service_sla.tier_gold")
        cls.internet = cls.env.ref("field_service_sla.service_type_internet_line")
        cls.wait_customer = cls.env.ref(
            "field_service_sla.pause_reason_waiting_customer"
        )
        cls.appointment = cls.env.ref("field_service_sla.pause_reason_appointment")
        cls.stage_new = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        cls.stage_progress = cls.env.ref(
            "helpdesk_mgmt.helpdesk_ticket_stage_in_progress"
        )
        cls.stage_awaiting = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_awaiting")
        cls.stage_done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.team = cls.env["helpdesk.ticket.team"].create({"name": "SLA test team"})
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Test Water Group",
                "is_company": True,
                "customer_segment": "enterprise",
                "customer_tier_id": cls.diamond.id,
            }
        )
        cls.line_aaa = cls.env["fs.service.line"].create(
            {
                "circuit_ref": "T-AAA-1",
                "partner_id": cls.customer.id,
                "service_type_id": cls.internet.id,
                "assurance_level_id": cls.aaa.id,
            }
        )
        cls.line_aa = cls.env["fs.service.line"].create(
            {
                "circuit_ref": "T-AA-1",
                "partner_id": cls.customer.id,
                "service_type_id": cls.internet.id,
                "assurance_level_id": cls.aa.id,
            }
        )
        cls.policy_aaa = cls._policy(
            "Test AAA",
            cls.aaa,
            [
                ("contact", 0.25, False, []),
                ("restored", 4, False, [cls.wait_customer, cls.appointment]),
                ("resolved", 8, False, [cls.wait_customer]),
            ],
        )
        cls.policy_aa = cls._policy(
            "Test AA (office hours)",
            cls.aa,
            [
                ("contact", 0.5, cls.office, []),
                ("restored", 8, False, [cls.wait_customer]),
            ],
        )

    @contextmanager
    def assertRefused(self, exception, pattern):
        """assertRaises (which rolls the failed operation back) plus the message."""
        with self.assertRaises(exception) as caught:
            yield
        self.assertRegex(str(caught.exception), pattern)

    @classmethod
    def _policy(cls, name, level, milestones):
        # segment + team + level: outranks the shipped matrix (segment + level)
        return cls.env["fs.sla.policy"].create(
            {
                "name": name,
                "segment": "enterprise",
                "team_ids": [(6, 0, cls.team.ids)],
                "level_ids": [(6, 0, level.ids)],
                "milestone_ids": [
                    (
                        0,
                        0,
                        {
                            "sequence": i,
                            "kind": kind,
                            "target_hours": target,
                            "calendar_id": calendar and calendar.id,
                            "pause_reason_ids": [(6, 0, [r.id for r in reasons])],
                        },
                    )
                    for i, (kind, target, calendar, reasons) in enumerate(milestones)
                ],
            }
        )

    def _ticket(self, reported, line=None, **values):
        with freeze_time(reported):
            return self.env["helpdesk.ticket"].create(
                {
                    "name": "Line down",
                    "description": "Alarm",
                    "team_id": self.team.id,
                    "service_line_id": (line or self.line_aaa).id,
                    "reported_date": reported,
                    **values,
                }
            )

    def _other_company_line(self, circuit_ref):
        """A line of our customer's circuit booked by another operator company."""
        other = self.env["res.company"].create({"name": "Other operator"})
        return self.env["fs.service.line"].create(
            {
                "circuit_ref": circuit_ref,
                "partner_id": self.customer.id,
                "company_id": other.id,
                "service_type_id": self.internet.id,
                "assurance_level_id": self.aaa.id,
            }
        )

    def clock(self, ticket, kind):
        return ticket.sla_clock_ids.filtered(lambda c: c.kind == kind)
