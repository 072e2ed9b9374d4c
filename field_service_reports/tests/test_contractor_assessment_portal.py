"""The contractor's side of the assessment, over HTTP as the real users: a
representative reads its own company's sheets once sent and never another
contractor's (by URL or by RPC), contests a line with a POST, signs through
the documents' signing route once the contest is decided; nobody forges a
state, a contest or a computed line over JSON-RPC."""

import json
import re

from odoo.tests import tagged

from odoo.addons.field_service_sla.tests.rpc import RpcCase

from ..reports_core import documents as core
from .assessment_common import AssessmentCase
from .common import SIGNATURE


@tagged("post_install", "-at_install")
class TestAssessmentPortal(RpcCase, AssessmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        sheets = AssessmentCase.score_march(cls)
        cls.sheet_tower = sheets.filtered(lambda s: s.team_id == cls.tower_crew)
        cls.sheet_fibre = sheets.filtered(lambda s: s.team_id == cls.fibre_crew)

    def page(self, url):
        return self.url_open(url, allow_redirects=False)

    def sign(self, document):
        response = self.url_open(
            f"/my/service-documents/{document.id}/sign",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "params": {
                        "name": "李工",
                        "signature": SIGNATURE.decode(),
                        "shown_hash": core.content_hash(document.sudo()._fs_content()),
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        return response.json()["result"]

    def test_a_contractor_reads_its_own_sheets_once_sent_and_no_other(self):
        self.authenticate("tower_rep", "tower_rep")
        # a draft is the operator's: not shown yet
        self.assertEqual(
            self.page(f"/my/assessments/{self.sheet_tower.id}").status_code, 303
        )
        self.sheet_tower.with_user(self.dispatcher).action_send()
        self.sheet_fibre.with_user(self.dispatcher).action_send()
        page = self.url_open(f"/my/assessments/{self.sheet_tower.id}").text
        self.assertIn("Tower crew", page)
        self.assertIn("Complaint", page)
        listing = self.url_open("/my/assessments").text
        self.assertIn(f"/my/assessments/{self.sheet_tower.id}", listing)
        self.assertNotIn(f"/my/assessments/{self.sheet_fibre.id}", listing)
        # another contractor's sheet by URL: back to the portal's home
        response = self.page(f"/my/assessments/{self.sheet_fibre.id}")
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith("/my"))
        # ... and by RPC
        self.assertRpcRefused(
            "tower_rep", "fs.assessment.sheet", "read", [self.sheet_fibre.id], ["score"]
        )
        found = self.call(
            "tower_rep", "fs.assessment.sheet", "search_read", [], ["team_id"]
        )
        self.assertEqual([r["id"] for r in found], [self.sheet_tower.id])
        lines = self.call(
            "tower_rep", "fs.assessment.line", "search_read", [], ["sheet_id"]
        )
        self.assertEqual({r["sheet_id"][0] for r in lines}, {self.sheet_tower.id})
        # its document too
        self.assertRpcRefused(
            "tower_rep",
            "fs.document",
            "read",
            [self.sheet_fibre.document_id.id],
            ["name"],
        )

    def test_contest_decide_and_sign_over_http(self):
        self.sheet_tower.with_user(self.dispatcher).action_send()
        line = self.sheet_tower.line_ids.filtered(
            lambda l: l.item_id == self.item_complaint
        )
        document = self.sheet_tower.document_id
        # another contractor cannot contest it
        self.authenticate("fibre_rep", "fibre_rep")
        self.sheet_fibre.with_user(self.dispatcher).action_send()
        token = re.search(
            r'name="csrf_token" value="([^"]+)"',
            self.url_open(f"/my/assessments/{self.sheet_fibre.id}").text,
        ).group(1)
        response = self.url_open(
            f"/my/assessments/{self.sheet_tower.id}/contest",
            data={"line_id": line.id, "reason": "not ours", "csrf_token": token},
            allow_redirects=False,
        )
        self.assertTrue(response.headers["Location"].endswith("/my"))
        line.invalidate_recordset()
        self.assertEqual(line.state, "counted")
        # the tower's representative contests it
        self.authenticate("tower_rep", "tower_rep")
        page = self.url_open(f"/my/assessments/{self.sheet_tower.id}").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        response = self.url_open(
            f"/my/assessments/{self.sheet_tower.id}/contest",
            data={
                "line_id": line.id,
                "reason": "客户自己的布线问题",
                "csrf_token": token,
            },
            allow_redirects=False,
        )
        self.assertIn("message=contested", response.headers["Location"])
        line.invalidate_recordset()
        self.assertEqual(
            (line.state, line.contested_by_id), ("contested", self.tower_rep.partner_id)
        )
        # signing waits for the decision
        result = self.sign(document)
        self.assertRegex(result.get("error") or "", "contested deductions still open")
        document.invalidate_recordset()
        self.assertEqual(document.state, "to_sign")
        line._fs_decide(False, "The photos show our crew's cabling")
        self.sheet_tower.invalidate_recordset()
        result = self.sign(document)
        self.assertNotIn("error", result)
        self.sheet_tower.invalidate_recordset()
        document.invalidate_recordset()
        self.assertEqual((document.state, self.sheet_tower.state), ("signed", "final"))
        self.assertEqual(self.sheet_tower.score, 60)
        # no contest after the signature
        page = self.url_open(f"/my/assessments/{self.sheet_tower.id}").text
        self.assertNotIn("/contest", page)

    def test_nobody_forges_a_state_a_contest_or_a_computed_line(self):
        sheet, line = self.sheet_tower, self.sheet_tower.line_ids[0]
        for login, model, record, values in (
            ("report_dispatcher", "fs.assessment.sheet", sheet, {"state": "final"}),
            ("report_dispatcher", "fs.assessment.sheet", sheet, {"computed_on": False}),
            ("report_dispatcher", "fs.assessment.line", line, {"state": "withdrawn"}),
            ("report_dispatcher", "fs.assessment.line", line, {"quantity": 0}),
            ("report_dispatcher", "fs.assessment.line", line, {"manual": True}),
        ):
            with self.subTest(model=model, values=values):
                self.assertRpcRefused(login, model, "write", [record.id], values)
        for context in ({"fs_state_transition": True}, {}):
            self.assertRpcRefused(
                "report_dispatcher",
                "fs.assessment.sheet",
                "write",
                [sheet.id],
                {"state": "final"},
                context=context,
            )
        self.assertEqual(sheet.state, "draft")
        # a representative writes nothing, even once the sheet is sent
        sheet.with_user(self.dispatcher).action_send()
        self.assertRpcRefused(
            "tower_rep",
            "fs.assessment.line",
            "write",
            [line.id],
            {"state": "withdrawn"},
        )
        self.assertRpcRefused(
            "tower_rep", "fs.assessment.sheet", "action_back_to_draft", [sheet.id]
        )
        line.invalidate_recordset()
        self.assertEqual(line.state, "counted")
