from odoo.tests import tagged

from .portal_common import PortalCase


@tagged("post_install", "-at_install")
class TestPortalFaultTour(PortalCase):
    """A customer reports a fault from a phone, in Chinese, in Chromium."""

    browser_size = "390x844"
    touch_enabled = True

    def test_customer_reports_a_fault_on_their_line_and_reads_its_sla(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["portal", "field_service_sla", "field_service_reports"], ["zh_CN"]
        )
        self.portal_a.lang = "zh_CN"
        self.env["fs.service.line"].create(
            {
                "circuit_ref": "A-VPN-2",
                "partner_id": self.company_a.id,
                "service_type_id": self.internet.id,
                "assurance_level_id": self.env.ref("field_service_sla.level_aa").id,
            }
        )
        self.start_tour(
            "/my/tickets",
            "field_service_reports_portal_fault_tour",
            login=self.portal_a.login,
        )
        ticket = self.env["helpdesk.ticket"].search(
            [("name", "=", "光缆中断，专线无法上网")]
        )
        self.assertEqual(ticket.service_line_id, self.line_a)
        self.assertEqual(ticket.partner_id, self.portal_a.partner_id)
        self.assertTrue(ticket.sla_policy_id)
        self.assertEqual(ticket.sla_state, "running")
