import json
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT

from ..reports_core import documents as core


class PortalCase(HttpCase):
    """Two customer companies of one operator, each with its portal users, an
    AAA internet line (plus an archived one), a ticket logged by a dispatcher
    on that line and a field order at the company's site."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        cls.internet = cls.env.ref("field_service_sla.service_type_internet_line")
        cls.aaa = cls.env.ref("field_service_sla.level_aaa")
        cls.dispatcher = new_test_user(
            cls.env,
            login="fs_portal_dispatcher",
            groups="field_service_sla.group_fs_dispatcher",
        )
        cls.company_a, cls.portal_a, cls.line_a = cls._customer("Water", "A")
        cls.company_b, cls.portal_b, cls.line_b = cls._customer("Power", "B")
        # a second contact of A: the company's tickets are hers too
        cls.portal_a2 = cls._portal_user("fs_portal_a2", cls.company_a)
        cls.ticket_a = cls._ticket(cls.portal_a, cls.line_a, "Fault of Water")
        cls.ticket_b = cls._ticket(cls.portal_b, cls.line_b, "Fault of Power")
        cls.order_a = cls._order(cls.company_a, cls.ticket_a)
        cls.order_b = cls._order(cls.company_b, cls.ticket_b)

    @classmethod
    def _customer(cls, name, letter):
        company = cls.env["res.partner"].create(
            {
                "name": f"{name} Group",
                "is_company": True,
                "customer_segment": "enterprise",
                "customer_tier_id": cls.env.ref("field_service_sla.tier_diamond").id,
            }
        )
        user = cls._portal_user(f"fs_portal_{letter.lower()}", company)
        line = cls.env["fs.service.line"].create(
            {
                "circuit_ref": f"{letter}-IDL-1",
                "partner_id": company.id,
                "service_type_id": cls.internet.id,
                "assurance_level_id": cls.aaa.id,
            }
        )
        cls.env["fs.service.line"].create(
            {
                "circuit_ref": f"{letter}-OLD-1",
                "partner_id": company.id,
                "service_type_id": cls.internet.id,
                "assurance_level_id": cls.aaa.id,
                "active": False,
            }
        )
        return company, user, line

    @classmethod
    def _portal_user(cls, login, company):
        user = new_test_user(
            cls.env,
            login=login,
            password=f"{login}_pw",
            groups="base.group_portal",
            tz="Asia/Shanghai",
        )
        user.partner_id.parent_id = company
        return user

    @classmethod
    def _ticket(cls, user, line, name):
        return (
            cls.env["helpdesk.ticket"]
            .with_user(cls.dispatcher)
            .create(
                {
                    "name": name,
                    "description": f"{name}: line down",
                    "service_line_id": line.id,
                    "partner_id": user.partner_id.id,
                }
            )
        )

    @classmethod
    def _order(cls, company, ticket):
        location = cls.env["fsm.location"].create(
            {"name": f"{company.name} head office", "owner_id": company.id}
        )
        start = fields.Datetime.now().replace(microsecond=0) + timedelta(days=1)
        return cls.env["fsm.order"].create(
            {
                "location_id": location.id,
                "ticket_id": ticket.id,
                "description": f"Visit for {ticket.name}",
                "fs_appointment_start": start,
                "fs_appointment_end": start + timedelta(hours=2),
                "fs_fault_found": f"Fibre cut at {company.name}",
            }
        )

    @classmethod
    def _confirmation_to_sign(cls, order, sender=None):
        """The confirmation of ``order``, its visit done, sent to the
        customer to sign (by ``sender``, else the superuser)."""
        order.write(
            {
                "fs_arrival_date": fields.Datetime.now() - timedelta(hours=2),
                "fs_cause_category": "transmission",
                "fs_work_result": "restored",
            }
        )
        Document = order.env["fs.document"]
        if sender:
            Document = Document.with_user(sender)
        document = Document._fs_document_for(order, core.CONFIRMATION)
        document.action_ask_signature()
        return document

    def json(self, url, **params):
        """The result of a JSON-RPC call to the portal's ``url``."""
        response = self.url_open(
            url,
            data=json.dumps({"jsonrpc": "2.0", "params": params}),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        return response.json()["result"]

    def login(self, user):
        self.authenticate(user.login, f"{user.login}_pw")
