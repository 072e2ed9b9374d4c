from io import BytesIO

import openpyxl
from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .assessment_common import AssessmentCase
from .common import SIGNATURE
from .monthly_common import REPORT_TIME
from .test_monthly_report import HEADER_ROW, table


@tagged("post_install", "-at_install")
class TestContractorAssessment(AssessmentCase):
    def _sheet(self, sheets, crew):
        return sheets.filtered(lambda s: s.team_id == crew)

    def test_the_month_is_scored_from_the_clocks_complaints_and_entries(self):
        with Form(self.env["fs.assessment.month"].with_user(self.dispatcher)) as wizard:
            wizard.year = "2026"
            wizard.month = "3"
            wizard.scheme_id = self.scheme
        action = wizard.record.action_score()
        sheets = self.env["fs.assessment.sheet"].search(action["domain"])
        self.assertEqual(
            set(sheets.team_id.ids), {self.tower_crew.id, self.fibre_crew.id}
        )
        tower = self._sheet(sheets, self.tower_crew)
        lines = {
            (line.item_id, line.ticket_id, line.order_id, line.quantity, line.points)
            for line in tower.line_ids
        }
        self.assertEqual(
            lines,
            {
                (self.item_contact, self.t8, self.order_t8, 1, 15),
                (self.item_restore, self.t8, self.order_t8, 1, 10),
                (self.item_complaint, self.complaint, self.order_t1, 1, 15),
            },
        )
        self.assertEqual((tower.base, tower.deducted, tower.score), (100, 40, 60))
        # one click from the record behind a deduction
        complaint = tower.line_ids.filtered(lambda l: l.item_id == self.item_complaint)
        action = complaint.with_user(self.dispatcher).action_open_source()
        self.assertEqual(
            (action["res_model"], action["res_id"]),
            ("helpdesk.ticket", self.complaint.id),
        )
        self.assertEqual(tower.partner_id, self.tower)
        fibre = self._sheet(sheets, self.fibre_crew)
        self.assertEqual(fibre.line_ids.ticket_id, self.t6)
        self.assertEqual(fibre.score, 85)
        # a ticket excluded from assessment (T4) counts for nobody, and the
        # month's computation again gives the same lines
        before = tower.line_ids.mapped(lambda line: (line.item_id, line.ticket_id))
        tower.with_user(self.dispatcher).action_compute()
        after = tower.line_ids.mapped(lambda line: (line.item_id, line.ticket_id))
        self.assertEqual(sorted(before, key=str), sorted(after, key=str))

    def test_a_clock_not_reached_counts_to_the_end_of_its_month(self):
        """T6's restore (fibre crew, reported on 31 March at 22:00) is still
        running: with a contractor's own target of one hour it is one
        started day over at the month's end, whenever the month is
        computed."""
        self.env["fs.assessment.item"].create(
            {
                "scheme_id": self.scheme.id,
                "name": "Restore within an hour",
                "source": "milestone",
                "milestone": "restored",
                "target_hours": 1,
                "mode": "per_day_over",
                "points": 2,
            }
        )
        for when in ("2026-04-02 12:00:00", "2026-12-31 12:00:00"):
            with freeze_time(when):
                sheet = self._sheet(self.score_march(), self.fibre_crew)
                if sheet.state == "draft":
                    sheet.action_compute()
            line = sheet.line_ids.filtered(lambda l: l.item_id.target_hours == 1)
            self.assertEqual((line.ticket_id, line.quantity), (self.t6, 1), when)
            self.assertEqual(sheet.score, 83, when)

    def test_a_dispatchers_entry_needs_its_evidence(self):
        sheet = self._sheet(self.score_march(), self.tower_crew)
        form = Form(sheet.with_user(self.dispatcher))
        with form.line_ids.new() as line:
            line.item_id = self.item_promise
            line.name = "Promised a spare router on site, none brought"
        with (
            self.assertRaisesRegex(ValidationError, "needs its evidence"),
            self.env.cr.savepoint(),
        ):
            form.save()
        sheet.invalidate_recordset()
        self.assertEqual(len(sheet.line_ids), 3)
        form = Form(sheet.with_user(self.dispatcher))
        with form.line_ids.new() as line:
            line.item_id = self.item_promise
            line.order_id = self.order_t1
        form.save()
        self.assertEqual((sheet.deducted, sheet.score), (45, 55))
        entry = sheet.line_ids.filtered("manual")
        self.assertEqual(entry.points, 5)
        # a computed item is not entered by hand
        form = Form(sheet.with_user(self.dispatcher))
        with form.line_ids.new() as line:
            line.item_id = self.item_complaint
            line.ticket_id = self.t1
        with (
            self.assertRaisesRegex(ValidationError, "computed from the month"),
            self.env.cr.savepoint(),
        ):
            form.save()

    def test_computed_lines_and_the_state_are_not_written_by_hand(self):
        sheet = self._sheet(self.score_march(), self.tower_crew)
        computed = sheet.line_ids[0].with_user(self.dispatcher)
        with self.assertRaisesRegex(UserError, "computed again"):
            computed.quantity = 3
        with self.assertRaisesRegex(UserError, "computed again"):
            computed.unlink()
        with self.assertRaises(UserError):
            computed.state = "withdrawn"
        with self.assertRaises(UserError):
            sheet.with_user(self.dispatcher).state = "final"
        # a line created as "computed" by a client is a dispatcher's entry
        line = (
            self.env["fs.assessment.line"]
            .with_user(self.dispatcher)
            .create(
                {
                    "sheet_id": sheet.id,
                    "item_id": self.item_promise.id,
                    "manual": False,
                    "state": "withdrawn",
                    "order_id": self.order_t1.id,
                }
            )
        )
        self.assertEqual((line.manual, line.state), (True, "counted"))

    def test_a_month_not_ended_is_refused(self):
        this_month = fields.Date.context_today(self.env["fs.assessment.month"])
        with Form(self.env["fs.assessment.month"].with_user(self.dispatcher)) as wizard:
            wizard.year = str(this_month.year)
            wizard.month = str(this_month.month)
            wizard.scheme_id = self.scheme
        with (
            self.assertRaisesRegex(ValidationError, "has not ended yet"),
            self.env.cr.savepoint(),
        ):
            wizard.record.action_score()
        self.assertFalse(
            self.env["fs.assessment.sheet"].search(
                [("month", "=", this_month.replace(day=1))]
            )
        )

    def test_a_scheme_item_without_source_or_with_negative_points_is_refused(self):
        admin = self.env(user=self._user("assess_admin", "group_fs_sla_admin"))
        form = Form(admin["fs.assessment.scheme"])
        form.name = "Bad scheme"
        with form.item_ids.new() as item:
            item.name = "Something"
            item.points = 5
        with (
            self.assertRaisesRegex(ValidationError, "say where its deductions"),
            self.env.cr.savepoint(),
        ):
            form.save()
        form = Form(admin["fs.assessment.scheme"])
        form.name = "Bad scheme"
        with form.item_ids.new() as item:
            item.name = "Something"
            item.source = "complaint"
            item.points = -5
        with (
            self.assertRaisesRegex(ValidationError, "cannot be negative"),
            self.env.cr.savepoint(),
        ):
            form.save()
        form = Form(admin["fs.assessment.scheme"])
        form.name = "Bad scheme"
        form.base = 50
        form.floor = 60
        with (
            self.assertRaisesRegex(ValidationError, "cannot be above"),
            self.env.cr.savepoint(),
        ):
            form.save()
        self.assertFalse(
            admin["fs.assessment.scheme"].search([("name", "=", "Bad scheme")])
        )

    def test_the_shipped_scheme_is_the_sample_form(self):
        scheme = self.env.ref("field_service_reports.fs_assessment_scheme_default")
        self.assertEqual((scheme.base, scheme.floor), (100, 0))
        self.assertEqual(
            scheme.item_ids.mapped("points"), [15, 15, 10, 10, 10, 10, 5, 5, 15, 5, 5]
        )
        self.assertEqual(
            set(scheme.item_ids.mapped("source")),
            {"milestone", "manual", "complaint", "spot_check"},
        )

    def test_contested_lines_are_decided_and_the_sheet_signed(self):
        sheet = self._sheet(self.score_march(), self.tower_crew)
        sheet.with_user(self.dispatcher).action_send()
        self.assertEqual(sheet.state, "sent")
        document = sheet.document_id
        self.assertEqual(
            (document.kind, document.state), ("contractor_assessment", "to_sign")
        )
        self.assertEqual(document.partner_id, self.tower)
        line = sheet.line_ids.filtered(lambda l: l.item_id == self.item_complaint)
        line._fs_contest(
            "The complaint was about the customer's own cabling",
            self.tower_rep.partner_id,
        )
        self.assertEqual(sheet.contested_count, 1)
        with self.assertRaisesRegex(UserError, "contested deductions still open"):
            document._sign(SIGNATURE, "李工", partner=self.tower_rep.partner_id)
        # the dispatcher's decision, through its dialog
        action = line.with_user(self.dispatcher).action_decide()
        with Form(
            self.env["fs.assessment.decision.wizard"]
            .with_user(self.dispatcher)
            .with_context(action["context"])
        ) as wizard:
            wizard.decision = "accept"
            wizard.reason = "Photos show the customer's cabling"
        wizard.record.action_decide()
        self.assertEqual(line.state, "withdrawn")
        self.assertEqual((sheet.deducted, sheet.score), (25, 75))
        self.assertIn("Photos show", sheet.message_ids[0].body)
        # an empty reason is refused
        with self.assertRaisesRegex(UserError, "reason"):
            line._fs_decide(False, " ")
        self.assertEqual(sheet.contested_count, 0)
        # a contest reason is needed, and twice is refused
        other = sheet.line_ids.filtered(lambda l: l.item_id == self.item_contact)
        with self.assertRaisesRegex(UserError, "Say why"):
            other._fs_contest("  ", self.tower_rep.partner_id)
        with self.assertRaisesRegex(UserError, "cannot be contested now"):
            line._fs_contest("again", self.tower_rep.partner_id)
        # a contractor assessment is contested, not declined
        with self.assertRaisesRegex(UserError, "not declined"):
            document._decline("No")
        document.with_user(self.tower_rep).sudo()._sign(
            SIGNATURE, "李工", partner=self.tower_rep.partner_id
        )
        self.assertEqual((document.state, sheet.state), ("signed", "final"))
        self.assertIn('"score":75', document.content_json)
        # final: nothing it shows changes any more
        with self.assertRaises(UserError):
            other.sudo().with_context(fs_state_transition=True).quantity = 4
        with self.assertRaises(UserError):
            sheet.with_user(self.dispatcher).action_back_to_draft()

    def test_the_workbook_and_the_pivot_give_the_sheets_scores(self):
        sheets = self.score_march()
        tower = self._sheet(sheets, self.tower_crew)
        tower.with_user(self.dispatcher).action_send()
        wizard = self._wizard(user=self.account_manager)
        with freeze_time(REPORT_TIME):
            content, _kind = self.env["ir.actions.report"]._render_xlsx(
                "field_service_reports.action_report_fs_monthly_xlsx",
                wizard.ids,
                data=None,
            )
        book = openpyxl.load_workbook(BytesIO(content))
        self.assertIn("Tower crew", book.sheetnames)
        self.assertIn("Fibre crew", book.sheetnames)
        scores = {
            crew: rows[0]["Score"]
            for crew, rows in table(book["Contractor scores"]).items()
        }
        self.assertEqual(scores, {"Fibre crew": 85, "Tower crew": 60})
        [state] = table(book["Contractor scores"])["Tower crew"]
        self.assertEqual(state["State"], "With the contractor")
        crew = book["Tower crew"]
        items = [
            row[0]
            for row in crew.iter_rows(min_row=HEADER_ROW + 1, values_only=True)
            if row[0]
        ]
        self.assertEqual(items[:3], ["Contact late", "Restore late", "Complaint"])
        self.assertEqual(items[-1], "Score")
        # the pivot over months reads the same stored scores
        pivot = (
            self.env["fs.assessment.sheet"]
            .with_user(self.account_manager)
            ._read_group([("month", "=", "2026-03-01")], ["team_id"], ["score:avg"])
        )
        self.assertEqual({team.name: score for team, score in pivot}, scores)
