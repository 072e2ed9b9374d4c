"""The role x field matrix (security/field_matrix.csv), rows of this addon:
each cell tried over JSON-RPC as a user of that role, in create and in
write. "no": refused both ways, nothing changes; "yes": written."""

import csv
from pathlib import Path

from odoo.tests import new_test_user, tagged

from odoo.addons.field_service_sla.tests.rpc import RpcCase

from .common import SIGNATURE, DocumentCase, core

ADDON = "field_service_reports"
SECURITY = Path(__file__).resolve().parents[2] / "security"


def read_csv(name):
    with open(SECURITY / name, encoding="utf-8") as f:
        return list(csv.DictReader(f))


@tagged("post_install", "-at_install")
class TestFieldMatrix(RpcCase, DocumentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rows = [r for r in read_csv("field_matrix.csv") if r["addon"] == ADDON]
        cls.roles = {r["role"]: r["group"] for r in read_csv("roles.csv")}
        cls.users, cls.tickets = {}, {}
        for role, group in cls.roles.items():
            user = new_test_user(cls.env, login=f"fm_{role}", groups=group)
            cls.users[role] = user
            if not user.share:
                cls.team.user_ids |= user
            # a ticket of his own: the documents of his work
            cls.tickets[role] = cls.ticket.copy(
                {"name": f"矩阵 {role}", "user_id": False if user.share else user.id}
            )
        cls.drafts = {
            role: cls.env["fs.document"].create(
                {"kind": core.FAULT_REPORT_TECH, "ticket_id": ticket.id}
            )
            for role, ticket in cls.tickets.items()
        }
        cls.attachment = cls.env["ir.attachment"].create(
            {
                "name": "other.pdf",
                "raw": b"%PDF-1.4 other",
                "mimetype": "application/pdf",
            }
        )

    def value(self, name):
        """A value a client could send for ``name``, unlike its default."""
        field = self.env["fs.document"]._fields[name]
        if name == "state":
            return core.SIGNED
        if field.type == "selection":
            return field.get_values(self.env)[-1]
        if field.type == "many2one":
            return {
                "ir.attachment": self.attachment.id,
                "res.users": self.dispatcher.id,
                "res.partner": self.contact.id,
                "fs.document": self.drafts["dispatcher"].id,
            }[field.comodel_name]
        if field.type == "datetime":
            return "2026-03-02 10:00:00"
        if field.type == "boolean":
            return True
        if field.type == "binary":
            return SIGNATURE.decode()
        return "矩阵"

    def stored(self, document, name):
        value = document[name]
        return value.id if hasattr(value, "_name") else value

    def test_the_matrix_has_rows_of_this_addon_for_every_protected_field(self):
        from ..models.fs_document import CREATION_FIELDS, PROTECTED_FIELDS

        listed = {r["field"] for r in self.rows if r["model"] == "fs.document"}
        missing = PROTECTED_FIELDS - CREATION_FIELDS - {"name"} - listed
        self.assertFalse(missing, f"field_matrix.csv lacks {sorted(missing)}")
        self.assertEqual(
            set(self.rows[0]) - {"addon", "model", "field", "drives"},
            set(self.roles),
        )

    def test_each_cell_over_rpc(self):
        for row in self.rows:
            for role in self.users:
                allowed = row[role] == "yes"
                with self.subTest(field=row["field"], role=role, allowed=allowed):
                    self.try_write(row, role, allowed)
                    self.try_create(row, role, allowed)

    def try_write(self, row, role, allowed):
        """Write, on a draft of the role's own work."""
        name, login = row["field"], self.users[role].login
        document, value = self.drafts[role], self.value(row["field"])
        before = self.stored(document, name)
        args = (login, row["model"], "write", [document.id], {name: value})
        if allowed:
            self.call(*args)
        else:
            self.assertRpcRefused(*args)
        document.invalidate_recordset()
        self.assertEqual(self.stored(document, name), value if allowed else before)

    def try_create(self, row, role, allowed):
        """Create, on the role's own ticket."""
        name, login = row["field"], self.users[role].login
        vals = {
            "kind": core.FAULT_REPORT_TECH,
            "ticket_id": self.tickets[role].id,
            name: self.value(name),
        }
        Document = self.env["fs.document"]
        count = Document.search_count([])
        if not allowed:
            self.assertRpcRefused(login, row["model"], "create", vals)
            self.assertEqual(Document.search_count([]), count)
            return
        new = self.call(login, row["model"], "create", vals)
        new = Document.browse(new[0] if isinstance(new, list) else new)
        self.assertEqual(self.stored(new, name), vals[name])
