from freezegun import freeze_time

from odoo.tests import TransactionCase, new_test_user

from odoo.addons.field_service_sla.tests.common import sh

# when the fixture's report is produced: the last evening of March 2026 in
# Shanghai, so March is the current month and a clock can still be open
REPORT_TIME = sh(2026, 3, 31, 23, 30)


class MonthlyReportCase(TransactionCase):
    """A company of its own (no demo data in its figures), two teams with
    their policies, a diamond and a gold customer, and the March 2026 tickets
    whose figures the tests know by heart:

    ===  ======  ====  ======================================================
    T1   AAA     A     contact 10:05, restored 12:00, closed 13:00: all on time
    T2   AAA     A     contact never (swept), restored 16:00 late, closed 17:00;
                       repeats T1
    T3   AA      A     contact on time, closed 11:00 never restored: missed,
                       not paused; repeats T0 (February)
    T4   AAA     A     excluded from assessment (its contact breached)
    T6   gold    B     contact breached by the sweep, restore still running
    ===  ======  ====  ======================================================
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create({"name": "Report Test Telecom"})
        user = cls.env.user
        user.write(
            {
                "company_ids": [(4, cls.company.id)],
                "company_id": cls.company.id,
                "tz": "Asia/Shanghai",
            }
        )
        cls.env = cls.env(
            context=dict(
                cls.env.context,
                allowed_company_ids=[cls.company.id],
                tracking_disable=True,
                tz="Asia/Shanghai",
            )
        )
        ref = cls.env.ref
        cls.diamond = ref("field_service_sla.tier_diamond")
        cls.gold = ref("field_service_sla.tier_gold")
        cls.internet = ref("field_service_sla.service_type_internet_line")
        cls.data_line = ref("field_service_sla.service_type_data_line")
        cls.aaa = ref("field_service_sla.level_aaa")
        cls.aa = ref("field_service_sla.level_aa")
        cls.office = ref("field_service_sla.calendar_office")
        cls.stage_done = ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        Team = cls.env["helpdesk.ticket.team"]
        cls.team_a = Team.create(
            {"name": "Report team A", "company_id": cls.company.id}
        )
        cls.team_b = Team.create(
            {"name": "Report team B", "company_id": cls.company.id}
        )
        cls.water = cls._customer("Report Water Group", cls.diamond)
        cls.steel = cls._customer("Report Steel Group", cls.gold)
        cls.line_aaa = cls._line("R-AAA-1", cls.water, cls.internet, cls.aaa)
        cls.line_aa = cls._line("R-AA-1", cls.water, cls.internet, cls.aa)
        cls.line_gold = cls._line("R-GOLD-1", cls.steel, cls.data_line, cls.aa)
        cls._policy(
            "Report AAA",
            cls.team_a,
            cls.aaa,
            [("contact", 0.25, False), ("restored", 4, False), ("resolved", 8, False)],
        )
        cls._policy(
            "Report AA",
            cls.team_a,
            cls.aa,
            [("contact", 0.5, cls.office), ("restored", 8, False)],
        )
        cls._policy(
            "Report team B",
            cls.team_b,
            cls.aa,
            [("contact", 1, False), ("restored", 8, False)],
        )
        cls._fixture_tickets()
        cls.dispatcher = cls._user("report_dispatcher", "group_fs_dispatcher")
        cls.account_manager = cls._user(
            "report_account_manager", "group_fs_account_manager"
        )
        cls.technician = cls._user("report_technician", "group_fs_technician")

    @classmethod
    def _customer(cls, name, tier):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "customer_segment": "enterprise",
                "customer_tier_id": tier.id,
            }
        )

    @classmethod
    def _line(cls, ref, partner, service_type, level):
        return cls.env["fs.service.line"].create(
            {
                "circuit_ref": ref,
                "partner_id": partner.id,
                "service_type_id": service_type.id,
                "assurance_level_id": level.id,
                "company_id": cls.company.id,
            }
        )

    @classmethod
    def _policy(cls, name, team, level, milestones):
        return cls.env["fs.sla.policy"].create(
            {
                "name": name,
                "company_id": cls.company.id,
                "segment": "enterprise",
                "team_ids": [(6, 0, team.ids)],
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
                        },
                    )
                    for i, (kind, target, calendar) in enumerate(milestones)
                ],
            }
        )

    @classmethod
    def _user(cls, login, group):
        return new_test_user(
            cls.env,
            login=login,
            groups=f"field_service_sla.{group}",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
            tz="Asia/Shanghai",
        )

    @classmethod
    def _ticket(cls, reported, line, team, **values):
        with freeze_time(reported):
            return cls.env["helpdesk.ticket"].create(
                {
                    "name": "Line down",
                    "description": "Alarm",
                    "team_id": team.id,
                    "service_line_id": line.id,
                    "company_id": cls.company.id,
                    "reported_date": reported,
                    **values,
                }
            )

    @classmethod
    def _at(cls, when, ticket, **values):
        with freeze_time(when):
            ticket.write(values)

    @classmethod
    def _sweep(cls, when):
        with freeze_time(when):
            cls.env["fs.sla.clock"]._cron_mark_breaches()

    @classmethod
    def _fixture_tickets(cls):
        a, b = cls.team_a, cls.team_b
        cls.t0 = cls._ticket(sh(2026, 2, 25, 10, 0), cls.line_aa, a)
        cls._at(
            sh(2026, 2, 25, 10, 5), cls.t0, first_contact_date=sh(2026, 2, 25, 10, 5)
        )
        # T1: everything on time
        cls.t1 = cls._ticket(sh(2026, 3, 2, 10, 0), cls.line_aaa, a)
        cls._at(sh(2026, 3, 2, 10, 5), cls.t1, first_contact_date=sh(2026, 3, 2, 10, 5))
        cls._at(sh(2026, 3, 2, 12, 0), cls.t1, restored_date=sh(2026, 3, 2, 12, 0))
        cls._at(sh(2026, 3, 2, 13, 0), cls.t1, stage_id=cls.stage_done.id)
        # T2: contact breached by the sweep, restored late, resolved in time
        cls.t2 = cls._ticket(sh(2026, 3, 10, 10, 0), cls.line_aaa, a)
        cls._sweep(sh(2026, 3, 10, 10, 16))
        cls._at(sh(2026, 3, 10, 16, 0), cls.t2, restored_date=sh(2026, 3, 10, 16, 0))
        cls._at(sh(2026, 3, 10, 17, 0), cls.t2, stage_id=cls.stage_done.id)
        # T3: closed without a restore: the restore milestone is missed
        cls.t3 = cls._ticket(sh(2026, 3, 17, 10, 0), cls.line_aa, a)
        cls._at(
            sh(2026, 3, 17, 10, 10), cls.t3, first_contact_date=sh(2026, 3, 17, 10, 10)
        )
        cls._at(sh(2026, 3, 17, 11, 0), cls.t3, stage_id=cls.stage_done.id)
        # T4: breached, but excluded from assessment
        cls.t4 = cls._ticket(sh(2026, 3, 20, 10, 0), cls.line_aaa, a)
        cls._sweep(sh(2026, 3, 20, 10, 16))
        cls.t4.with_context(
            fs_severity_reason="Customer's own power cut"
        ).write({"severity_excluded": True})
        # T6: team B, contact breached by the sweep, restore still running
        cls.t6 = cls._ticket(sh(2026, 3, 31, 22, 0), cls.line_gold, b)
        cls._sweep(REPORT_TIME)
        # the field order of T2 found our equipment; two devices replaced
        location = cls.env["fsm.location"].create(
            {"name": "Water Group HQ", "owner_id": cls.water.id}
        )
        fsm_team = cls.env["fsm.team"].create(
            {"name": "Report crew", "company_id": cls.company.id}
        )
        order = cls.env["fsm.order"].create(
            {
                "team_id": fsm_team.id,
                "ticket_id": cls.t2.id,
                "location_id": location.id,
                "stage_id": cls.env.ref("fieldservice.fsm_stage_new").id,
                "fs_cause_category": "our_equipment",
            }
        )
        Equipment = cls.env["fs.replaced.equipment"]
        for serial, model, cause in (
            ("SN-1", "NE40E", "Power supply"),
            ("SN-2", "NE40E", "Power supply"),
            ("SN-3", "AR6120", "Optical module"),
        ):
            Equipment.create(
                {
                    "order_id": order.id,
                    "replaced_date": "2026-03-10",
                    "device_type": "Router",
                    "device_model": model,
                    "serial_number": serial,
                    "supplier": "Huawei",
                    "failure_cause": cause,
                }
            )

    def _wizard(self, user=None, **values):
        env = self.env(user=user) if user else self.env
        return env["fs.monthly.report"].create(
            {
                "year": "2026",
                "month": "3",
                "company_id": self.company.id,
                **values,
            }
        )
