from odoo.tests import tagged

from odoo.addons.field_service_sla.tests.common import sh

from .assessment_common import AssessmentCase


@tagged("post_install", "-at_install")
class TestAssessmentQueries(AssessmentCase):
    """Scoring a month costs the same queries for one contractor crew as
    for three (bench_assessment.py: 30 crews over 100,000 tickets): one
    query per source over every crew, the lines inserted at once with their
    stored fields, one batch of notes for the sheets."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cable, cls.cable_crew, cls.cable_rep = cls._contractor("Cable", "cable")
        location = cls.env["fsm.location"].create(
            {"name": "Cable Group DC", "owner_id": cls.water.id}
        )
        order = cls._order(cls.cable_crew, cls.t3, location)
        cls._ticket(
            sh(2026, 3, 18, 9, 0),
            cls.line_aa,
            cls.team_b,
            name="Complaint: site left dirty",
            fs_complaint_order_id=order.id,
        )

    def _queries(self, crews, user=None):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        sheets = self.score_march(
            user=user, teams=crews.with_user(user or self.env.user)
        )
        self.env.flush_all()
        return self.env.cr.sql_log_count - before, sheets

    def test_queries_do_not_grow_with_the_crews(self):
        one = self.tower_crew
        three = self.tower_crew | self.fibre_crew | self.cable_crew
        for user in (None, self.dispatcher):
            # made, then computed again: the computation of a month that
            # has sheets already
            self.score_march(user=user, teams=three)
            self._queries(one, user)  # warm the caches
            count_one, _sheet = self._queries(one, user)
            count_three, sheets = self._queries(three, user)
            self.assertEqual(len(sheets), 3)
            self.assertTrue(all(s.line_ids for s in sheets), "every crew has lines")
            self.assertEqual(count_three, count_one, (user, count_one, count_three))
        # the stored fields filled in by the computation are the computes'
        lines = sheets.line_ids
        filled = [
            (line.company_id, line.team_id, line.sequence, line.points)
            for line in lines
        ]
        lines.invalidate_recordset()
        for name in ("company_id", "team_id", "sequence", "points"):
            self.env.add_to_compute(lines._fields[name], lines)
        self.assertEqual(
            [
                (line.company_id, line.team_id, line.sequence, line.points)
                for line in lines
            ],
            filled,
        )
        self.assertEqual(lines.team_id, three)
        self.assertEqual(set(lines.company_id.ids), {self.company.id})
