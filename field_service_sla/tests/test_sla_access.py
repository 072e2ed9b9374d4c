from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import SlaCase, sh

CONFIG_MODELS = [
    "fs.customer.tier",
    "fs.assurance.level",
    "fs.service.type",
    "fs.sla.pause.reason",
    "fs.sla.policy",
    "fs.sla.milestone",
]


@tagged("post_install", "-at_install")
class TestSlaAccess(SlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups = {
            "technician": "field_service_sla.group_fs_technician",
            "dispatcher": "field_service_sla.group_fs_dispatcher",
            "account_manager": "field_service_sla.group_fs_account_manager",
            "sla_admin": "field_service_sla.group_fs_sla_admin",
            "portal": "base.group_portal",
        }
        cls.users = {
            role: new_test_user(cls.env, login=f"sla_{role}", groups=group)
            for role, group in groups.items()
        }
        cls.users["technician"].helpdesk_team_ids = cls.team
        cls.ticket = cls._ticket_cls(sh(2026, 3, 2, 10, 0))

    @classmethod
    def _ticket_cls(cls, reported):
        # logged when reported: a clock read later than its deadline is a
        # breach on record, which a later first-contact time does not undo
        with freeze_time(reported):
            return cls.env["helpdesk.ticket"].create(
                {
                    "name": "Down",
                    "description": "x",
                    "team_id": cls.team.id,
                    "service_line_id": cls.line_aaa.id,
                    "reported_date": reported,
                }
            )

    def as_(self, role):
        return self.env(user=self.users[role])

    def test_technician_reads_but_cannot_edit_a_policy(self):
        env = self.as_("technician")
        policy = env["fs.sla.policy"].browse(self.policy_aaa.id)
        self.assertEqual(policy.name, "Test AAA")
        with self.assertRaises(AccessError):
            policy.write({"sequence": 1})
        with self.assertRaises(AccessError):
            env["fs.sla.milestone"].browse(
                self.policy_aaa.milestone_ids[0].id
            ).target_hours = 1
        with self.assertRaises(AccessError):
            env["fs.customer.tier"].create({"name": "Platinum", "code": "PT"})

    def test_simulate_is_offered_to_the_sla_administrator_only(self):
        def arch(role):
            return self.as_(role)["fs.sla.policy"].get_views([(False, "form")])[
                "views"
            ]["form"]["arch"]

        self.assertIn("action_simulate", arch("sla_admin"))
        self.assertNotIn("action_simulate", arch("technician"))

    def test_only_the_sla_administrator_edits_configuration(self):
        for role in ("technician", "dispatcher", "account_manager"):
            for model in CONFIG_MODELS:
                self.assertFalse(
                    self.as_(role)[model].has_access("write"),
                    f"{role} can write {model}",
                )
        for model in CONFIG_MODELS:
            self.assertTrue(self.as_("sla_admin")[model].has_access("write"), model)
        env = self.as_("sla_admin")
        env["fs.sla.policy"].browse(self.policy_aaa.id).sequence = 3
        env["fs.customer.tier"].create({"name": "Platinum", "code": "PT"})

    def test_technician_works_the_ticket_and_pauses_it(self):
        env = self.as_("technician")
        ticket = env["helpdesk.ticket"].browse(self.ticket.id)
        with freeze_time(sh(2026, 3, 2, 10, 5)):
            ticket.action_sla_contacted()
            self.assertEqual(
                ticket.sla_clock_ids.filtered(lambda c: c.kind == "contact").state,
                "met",
            )
            env["fs.sla.pause.wizard"].with_context(active_ids=ticket.ids).create(
                {"reason_id": self.wait_customer.id}
            ).action_pause()
        self.assertTrue(ticket.sla_paused)
        with self.assertRaises(AccessError):
            ticket.sla_clock_ids[0].write({"state": "met"})

    def test_account_manager_maintains_service_lines(self):
        env = self.as_("account_manager")
        line = env["fs.service.line"].create(
            {
                "circuit_ref": "AM-1",
                "partner_id": self.customer.id,
                "service_type_id": self.internet.id,
                "assurance_level_id": self.aa.id,
            }
        )
        line.bandwidth = "10G"
        with self.assertRaises(AccessError):
            line.unlink()
        with self.assertRaises(AccessError):
            self.as_("technician")["fs.service.line"].create(
                {
                    "circuit_ref": "T-2",
                    "partner_id": self.customer.id,
                    "service_type_id": self.internet.id,
                    "assurance_level_id": self.aa.id,
                }
            )

    def test_dispatcher_reclassifies_tickets(self):
        ticket = self.as_("dispatcher")["helpdesk.ticket"].browse(self.ticket.id)
        ticket.assurance_level_id = self.aa
        self.assertEqual(ticket.sla_policy_id, self.policy_aa)

    def test_portal_user_reads_nothing_of_the_sla_rules(self):
        """Portal customers read no SLA configuration and no pause. What they
        read of their own company (its service lines with their types, its
        tickets' clocks) field_service_reports grants and tests."""
        env = self.as_("portal")
        for model in [
            *(m for m in CONFIG_MODELS if m != "fs.service.type"),
            "fs.sla.pause",
        ]:
            self.assertFalse(env[model].has_access("read"), model)
            with self.assertRaises(AccessError):
                env[model].search([])

    def test_clocks_follow_the_company_rule(self):
        other = self.env["res.company"].create({"name": "Other operator"})
        user = new_test_user(
            self.env,
            login="other_co",
            groups="field_service_sla.group_fs_dispatcher",
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
        )
        clocks = self.env(user=user)["fs.sla.clock"].search(
            [("ticket_id", "=", self.ticket.id)]
        )
        self.assertFalse(clocks)
        lines = self.env(user=user)["fs.service.line"].search(
            [("id", "=", self.line_aaa.id)]
        )
        self.assertFalse(lines)
