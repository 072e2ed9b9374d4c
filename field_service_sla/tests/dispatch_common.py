from datetime import timedelta

from odoo import fields

from .common import SlaCase


class DispatchCase(SlaCase):
    """Two areas covered by an own crew and a contractor's, a third one
    uncovered; skills; a line in each area."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.fibre = env["fs.skill"].create({"name": "Fibre", "code": "T-FIBRE"})
        cls.voice = env["fs.skill"].create({"name": "Voice", "code": "T-VOICE"})
        cls.internet.fs_skill_id = cls.fibre
        cls.own = env["fsm.team"].create({"name": "Own crew"})
        cls.contractor_company = env["res.partner"].create(
            {"name": "Tongda", "is_company": True}
        )
        cls.contractor = env["fsm.team"].create(
            {
                "name": "Contractor crew",
                "fs_contractor": True,
                "fs_contractor_partner_id": cls.contractor_company.id,
            }
        )
        cls.area_own = env["res.territory"].create(
            {"name": "T-Yuzhong", "fs_team_id": cls.own.id}
        )
        cls.area_contractor = env["res.territory"].create(
            {"name": "T-Liangping", "fs_team_id": cls.contractor.id}
        )
        cls.area_uncovered = env["res.territory"].create({"name": "T-Wanzhou"})

        def person(name, team, skills=()):
            return env["fsm.person"].create(
                {
                    "name": name,
                    "team_id": team.id,
                    "fs_skill_ids": [(6, 0, [s.id for s in skills])],
                }
            )

        cls.li = person("Li", cls.own, [cls.fibre, cls.voice])
        cls.zhou = person("Zhou", cls.own, [cls.fibre])
        cls.sun = person("Sun", cls.contractor, [cls.voice])
        cls.site_own = env["fsm.location"].create(
            {
                "name": "HQ",
                "owner_id": cls.customer.id,
                "territory_id": cls.area_own.id,
            }
        )
        cls.site_uncovered = env["fsm.location"].create(
            {
                "name": "Pumping station",
                "owner_id": cls.customer.id,
                "territory_id": cls.area_uncovered.id,
            }
        )
        cls.line_aaa.location_id = cls.site_own
        cls.line_aa.location_id = cls.site_uncovered
        cls.engine = env["fs.dispatch.engine"]

    def fault(self, line=None, **values):
        now = fields.Datetime.now().replace(microsecond=0)
        return self.env["helpdesk.ticket"].create(
            {
                "name": "Line down",
                "description": "Alarm",
                "team_id": self.team.id,
                "service_line_id": (line or self.line_aaa).id,
                "reported_date": now - timedelta(minutes=5),
                **values,
            }
        )

    def dispatch(self):
        self.engine._cron_dispatch()
