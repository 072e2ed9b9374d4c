from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    def test_installed_with_its_dependencies(self):
        modules = self.env["ir.module.module"].search(
            [
                (
                    "name",
                    "in",
                    ["field_service_reports", "field_service_sla", "report_xlsx"],
                )
            ]
        )
        self.assertEqual(set(modules.mapped("state")), {"installed"})

    def test_no_enterprise_module_installed(self):
        """The database must stay Community: no OEEL-licensed module."""
        installed = self.env["ir.module.module"].search(
            [("state", "=", "installed"), ("license", "=like", "OEEL%")]
        )
        self.assertFalse(installed, installed.mapped("name"))
