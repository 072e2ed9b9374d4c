"""security/field_matrix.csv, tried cell by cell over JSON-RPC: each role
writes each field that drives a clock, a severity or an escalation on a
fresh ticket it may work; "yes" must succeed, "no" must be refused and
change nothing."""

import csv
import itertools
from datetime import timedelta
from pathlib import Path

from odoo import fields, models
from odoo.tests import tagged

from ..models.helpdesk_ticket import SLA_TIME_FIELDS
from ..models.helpdesk_ticket_dispatch import DISPATCH_FIELDS, ENGINE_FIELDS
from ..models.helpdesk_ticket_severity import SEVERITY_DISPATCH_FIELDS
from .roles_common import ROLE_GROUPS, RoleRpcCase

MATRIX = Path(__file__).resolve().parents[2] / "security" / "field_matrix.csv"
CELLS = itertools.count()
# the automatic dispatch's configuration: a fresh record per cell
DISPATCH_CONFIG = {
    "res.territory": lambda case: case.env["res.territory"].create({"name": "Cell"}),
    "fsm.team": lambda case: case.env["fsm.team"].create(
        {"name": f"Cell crew {next(CELLS)}"}
    ),
    "fs.service.line": lambda case: case.line_aa,
    "res.partner": lambda case: case.env["res.partner"].create(
        {"name": "Cell customer", "is_company": True}
    ),
}


def matrix_rows():
    with open(MATRIX, newline="", encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if r["addon"] == "field_service_sla"]


@tagged("post_install", "-at_install")
class TestFieldMatrix(RoleRpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.other_company = env["res.company"].create({"name": "Other operator"})
        for user in cls.users.values():
            user.company_ids |= cls.other_company
        cls.other_team = env["helpdesk.ticket.team"].create(
            {"name": "Other team", "user_ids": [(6, 0, cls.team.user_ids.ids)]}
        )
        cls.category = env["helpdesk.ticket.category"].create({"name": "Cable cut"})
        cls.other_customer = env["res.partner"].create(
            {"name": "Other customer", "is_company": True}
        )
        cls.voice = env["fs.service.type"].search(
            [("id", "!=", cls.internet.id)], limit=1
        )
        cls.incident = env["fs.incident"].sudo().search([], limit=1)
        cls.severity_rule = env["fs.severity.rule"].search([], limit=1)
        cls.other_reason = cls.appointment
        # field orders: each role's own crew member, at the customer's site
        cls.workers = {
            role: env["fsm.person"].create({"partner_id": user.partner_id.id})
            for role, user in cls.users.items()
            if role != "portal"
        }
        cls.location = env["fsm.location"].create(
            {"name": "Room 301", "owner_id": cls.customer.id}
        )
        # automatic dispatch: its configuration and an area to set
        cls.dispatch_area = env["res.territory"].create({"name": "Matrix area"})
        cls.dispatch_team = env["fsm.team"].create({"name": "Matrix crew"})

    def value(self, model, name, record):
        """The value a role tries to write into ``name`` of ``record``, and
        the record to build the cell on (some need their own)."""
        now = fields.Datetime.now().replace(microsecond=0)
        if model == "fsm.order":
            # another ticket the role may work; a restore stamps the ticket
            if name == "ticket_id":
                return self.new_ticket().id
            return {
                "fs_work_result": "restored",
                "fs_dispatch_mode": "auto",
                "fs_dispatch_reason": "no_team",
                "fs_area_id": self.dispatch_area.id,
            }[name]
        if model in DISPATCH_CONFIG:
            return {
                "fs_team_id": self.dispatch_team.id,
                "fs_contractor": True,
                "fs_area_id": self.dispatch_area.id,
            }[name]
        if name == "fs_dispatch_pending":
            return True
        if model == "fs.sla.pause":
            return {
                "ticket_id": self.new_ticket().id,
                "reason_id": self.other_reason.id,
                "origin": "closed",
                "start_date": fields.Datetime.to_string(now - timedelta(days=1)),
                "end_date": fields.Datetime.to_string(now),
                "user_id": self.assignee.id,
                "note": "back-dated",
            }[name]
        ticket = record
        dt = fields.Datetime.to_string
        values = {
            "service_line_id": self.line_aa.id,
            "assurance_level_id": self.aa.id,
            "priority": "3",
            "team_id": self.other_team.id,
            "category_id": self.category.id,
            "partner_id": self.other_customer.id,
            "company_id": self.other_company.id,
            "user_id": self.assignee.id,
            "stage_id": self.stage_awaiting.id,
            "reported_date": dt(ticket.reported_date - timedelta(minutes=30)),
            "report_date": dt(now),
            "assigned_date": dt(now - timedelta(minutes=5)),
            "closed_date": dt(now),
            "sla_policy_id": self.policy_aa.id,
            "sla_state": "met",
            "sla_deadline": dt(now + timedelta(days=30)),
            "customer_segment": "home",
            "customer_tier_id": self.gold.id,
            "service_type_id": self.voice.id,
            "restore_duration_hours": 0.1,
            "severity": "major",
            "severity_excluded": True,
            "impact_scope": "partial",
            "severity_rule_id": self.severity_rule.id,
            "severity_pending": "severe",
            "severity_due_date": dt(now),
            "incident_id": self.incident.id,
            "fs_city": "Lhasa",
            "escalation_level": "province",
            "escalation_requested_date": dt(now),
        }
        if name in values:
            return values[name]
        # a milestone time not recorded yet: recording it is working the ticket
        return dt(ticket.reported_date + timedelta(minutes=10))

    def cell_record(self, model, name, role):
        if model == "fsm.order":
            worker = self.workers.get(role, self.workers["technician"])
            return self.env["fsm.order"].create(
                {
                    "ticket_id": self.new_ticket().id,
                    "location_id": self.location.id,
                    "person_id": worker.id,
                }
            )
        if model in DISPATCH_CONFIG:
            # a record of its own, as the administrator configures it
            return DISPATCH_CONFIG[model](self)
        if model == "fs.sla.pause":
            ticket = self.new_ticket()
            self.env["fs.sla.engine"]._pause(ticket, self.wait_customer)
            return ticket.sla_pause_ids
        if name == "company_id":
            # a line stays with its company: move a ticket without one
            return self.new_ticket(service_line_id=False, partner_id=self.customer.id)
        return self.new_ticket()

    def snapshot(self, record):
        record.invalidate_recordset()
        stored = [n for n, f in record._fields.items() if f.store]
        return record.sudo().read(stored, load=None)[0]

    def test_every_guarded_field_is_in_the_matrix(self):
        listed = {(r["model"], r["field"]) for r in matrix_rows()}
        guarded = {
            *DISPATCH_FIELDS,
            *ENGINE_FIELDS,
            *SLA_TIME_FIELDS,
            *SEVERITY_DISPATCH_FIELDS,
            "stage_id",
        }
        missing = {n for n in guarded if ("helpdesk.ticket", n) not in listed}
        self.assertFalse(missing, "guarded ticket fields missing from the matrix")
        pause_fields = {
            name
            for name, field in self.env["fs.sla.pause"]._fields.items()
            if field.store
            and not (field.compute or field.related)
            and name not in models.MAGIC_COLUMNS
        }
        listed_pause = {n for m, n in listed if m == "fs.sla.pause"}
        self.assertFalse(pause_fields - listed_pause)
        for row in matrix_rows():
            self.assertLessEqual({row[r] for r in ROLE_GROUPS}, {"yes", "no"}, row)

    def test_every_cell_over_rpc(self):
        rows = matrix_rows()
        self.assertTrue(rows)
        for role in ROLE_GROUPS:
            for row in rows:
                model, name = row["model"], row["field"]
                with self.subTest(role=role, model=model, field=name):
                    self.assertIn(name, self.env[model]._fields)
                    record = self.cell_record(model, name, role)
                    value = self.value(model, name, record)
                    context = {"allowed_company_ids": self.env.user.company_ids.ids}
                    if name == "severity_excluded":
                        context["fs_severity_reason"] = "Carrier's fault"
                    args = ([record.id], {name: value})
                    if row[role] == "yes":
                        self.call(
                            self.login(role), model, "write", *args, context=context
                        )
                        record.invalidate_recordset()
                        got = record[name]
                        got = got.id if hasattr(got, "_name") else got
                        if isinstance(value, str) and record._fields[name].type == (
                            "datetime"
                        ):
                            value = fields.Datetime.to_datetime(value)
                        self.assertEqual(got, value)
                        if name == "fs_work_result":
                            self.assertTrue(record.ticket_id.restored_date)
                    else:
                        before = self.snapshot(record)
                        self.assertRpcRefused(
                            self.login(role), model, "write", *args, context=context
                        )
                        self.assertEqual(self.snapshot(record), before)
