from odoo.tests import new_test_user

from odoo.addons.field_service_sla.tests.common import sh

from .monthly_common import MonthlyReportCase


class AssessmentCase(MonthlyReportCase):
    """The monthly report's March 2026 (monthly_common) with two contractor
    crews (代维): the tower crew took T1 and T8 (T8's contact breached by
    the sweep, its restore two hours late), the fibre crew T6 (contact
    breached); a complaint about the tower crew's T1 order; each contractor
    company with its portal representative. A scheme of the sample form's
    kinds, with numbers the tests know by heart:

    ====================  =======  ================================  ======
    item                  source   tower crew                        points
    ====================  =======  ================================  ======
    contact late          clock    T2 (the SLA's breach)             15
    restore days over     clock    T2: 2 h late = 1 started day      10
    complaint             tickets  the complaint about T1's order    15
    spot check            checks   (none)
    promise broken        manual   (entered by the tests)             5
    ====================  =======  ================================  ======
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tower, cls.tower_crew, cls.tower_rep = cls._contractor("Tower", "tower")
        cls.fibre, cls.fibre_crew, cls.fibre_rep = cls._contractor("Fibre", "fibre")
        location = cls.env["fsm.location"].create(
            {"name": "Water Group DC", "owner_id": cls.water.id}
        )
        # T8: the tower crew's, contact breached by the sweep, restored two
        # hours late (as T2, whose first order was the operator's own crew)
        cls.t8 = cls._ticket(sh(2026, 3, 11, 10, 0), cls.line_aaa, cls.team_a)
        cls._sweep(sh(2026, 3, 11, 10, 16))
        cls._at(sh(2026, 3, 11, 16, 0), cls.t8, restored_date=sh(2026, 3, 11, 16, 0))
        cls._at(sh(2026, 3, 11, 17, 0), cls.t8, stage_id=cls.stage_done.id)
        cls.order_t1 = cls._order(cls.tower_crew, cls.t1, location)
        cls.order_t8 = cls._order(cls.tower_crew, cls.t8, location)
        cls.order_t6 = cls._order(cls.fibre_crew, cls.t6, location)
        # later orders of T8 by the fibre crew and of T2 by the tower crew:
        # a fault stays its first crew's
        cls._order(cls.fibre_crew, cls.t8, location)
        cls._order(cls.tower_crew, cls.t2, location)
        cls.complaint = cls._ticket(
            sh(2026, 3, 12, 9, 0),
            cls.line_aa,
            cls.team_b,
            name="Complaint: cables left loose",
            fs_complaint_order_id=cls.order_t1.id,
        )
        Item = cls.env["fs.assessment.item"]
        cls.scheme = cls.env["fs.assessment.scheme"].create(
            {"name": "Test scheme", "company_id": cls.company.id}
        )
        cls.item_contact = Item.create(
            {
                "scheme_id": cls.scheme.id,
                "name": "Contact late",
                "source": "milestone",
                "milestone": "contact",
                "points": 15,
            }
        )
        cls.item_restore = Item.create(
            {
                "scheme_id": cls.scheme.id,
                "name": "Restore late",
                "source": "milestone",
                "milestone": "restored",
                "mode": "per_day_over",
                "points": 10,
            }
        )
        cls.item_complaint = Item.create(
            {
                "scheme_id": cls.scheme.id,
                "name": "Complaint",
                "source": "complaint",
                "points": 15,
            }
        )
        cls.item_spot = Item.create(
            {
                "scheme_id": cls.scheme.id,
                "name": "Spot check failed",
                "source": "spot_check",
                "points": 5,
            }
        )
        cls.item_promise = Item.create(
            {
                "scheme_id": cls.scheme.id,
                "name": "Promise broken",
                "source": "manual",
                "points": 5,
            }
        )
        cls.dispatcher.group_ids |= cls.env.ref("base.group_user")

    @classmethod
    def _contractor(cls, name, login):
        company = cls.env["res.partner"].create(
            {"name": f"{name} Maintenance Co.", "is_company": True}
        )
        crew = cls.env["fsm.team"].create(
            {
                "name": f"{name} crew",
                "company_id": cls.company.id,
                "fs_contractor": True,
                "fs_contractor_partner_id": company.id,
            }
        )
        rep = new_test_user(
            cls.env,
            login=f"{login}_rep",
            groups="base.group_portal",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
            tz="Asia/Shanghai",
        )
        rep.partner_id.write(
            {"parent_id": company.id, "email": f"{login}@contractor.example.com"}
        )
        return company, crew, rep

    @classmethod
    def _order(cls, crew, ticket, location):
        return cls.env["fsm.order"].create(
            {
                "team_id": crew.id,
                "ticket_id": ticket.id,
                "location_id": location.id,
                "stage_id": cls.env.ref("fieldservice.fsm_stage_new").id,
            }
        )

    def score_march(self, user=None, teams=None):
        env = self.env(user=user) if user else self.env
        return (
            env["fs.assessment.sheet"]
            .with_company(self.company)
            ._fs_sheets_for(
                sh(2026, 3, 1, 12, 0).date(), self.scheme.with_env(env), teams
            )
        )
