"""The root security/ tables are the truth about who may do what: both addons'
access files and record rules must say exactly the same. No Odoo needed."""

import ast
import csv
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ADDONS = ("field_service_sla", "field_service_reports")
RIGHTS = ("read", "write", "create", "unlink")
# helpdesk_mgmt's own chain of groups (helpdesk_mgmt/security/helpdesk_security.xml)
EXTERNAL_IMPLIES = {
    "helpdesk_mgmt.group_helpdesk_manager": ["helpdesk_mgmt.group_helpdesk_user"],
    "helpdesk_mgmt.group_helpdesk_user": ["helpdesk_mgmt.group_helpdesk_user_team"],
    "helpdesk_mgmt.group_helpdesk_user_team": ["helpdesk_mgmt.group_helpdesk_user_own"],
}


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def qualify(addon, xmlid):
    return xmlid if "." in xmlid else f"{addon}.{xmlid}"


def model_name(addon, model_xmlid):
    return model_xmlid.split(".")[-1].removeprefix("model_").replace("_", ".")


def declared_rows():
    rows = []
    for addon in ADDONS:
        path = ROOT / addon / "security" / "ir.model.access.csv"
        if path.exists():
            for row in read_csv(path):
                rows.append((addon, row))
    return rows


def implications():
    graph = {k: list(v) for k, v in EXTERNAL_IMPLIES.items()}
    for addon in ADDONS:
        for xml in (ROOT / addon / "security").glob("*.xml"):
            text = xml.read_text(encoding="utf-8")
            for rec in re.finditer(
                r'<record id="(\w+)" model="res.groups">(.*?)</record>', text, re.DOTALL
            ):
                implied = re.search(
                    r'name="implied_ids"\s+eval="([^"]*)"', rec.group(2)
                )
                refs = (
                    re.findall(r"ref\('([\w.]+)'\)", implied.group(1))
                    if implied
                    else []
                )
                graph[qualify(addon, rec.group(1))] = [qualify(addon, r) for r in refs]
    return graph


def closure(group, graph):
    seen, todo = set(), [group]
    while todo:
        g = todo.pop()
        if g not in seen:
            seen.add(g)
            todo.extend(graph.get(g, ()))
    return seen


def effective_rights():
    roles = {r["role"]: r["group"] for r in read_csv(ROOT / "security" / "roles.csv")}
    graph = implications()
    rights = {}
    for addon, row in declared_rows():
        model = model_name(addon, row["model_id:id"])
        group = qualify(addon, row["group_id:id"]) if row["group_id:id"] else None
        for role, role_group in roles.items():
            if group is None or group in closure(role_group, graph):
                have = rights.setdefault((addon, model, role), dict.fromkeys(RIGHTS, 0))
                for right in RIGHTS:
                    have[right] |= int(row[f"perm_{right}"])
    return {k: v for k, v in rights.items() if any(v.values())}


def matrix():
    return {
        (r["addon"], r["model"], r["role"]): {right: int(r[right]) for right in RIGHTS}
        for r in read_csv(ROOT / "security" / "access_matrix.csv")
    }


def test_access_files_grant_exactly_the_matrix():
    got, want = effective_rights(), matrix()
    assert sorted(set(got) - set(want)) == [], (
        "granted but not in security/access_matrix.csv"
    )
    assert sorted(set(want) - set(got)) == [], "in the matrix but not granted"
    for key in want:
        assert got[key] == want[key], key


# what portal customers may read without a rule narrowing it to their company:
# reference data that names nobody
PORTAL_REFERENCE_MODELS = {"fs.service.type"}


def test_no_access_row_is_global():
    for addon, row in declared_rows():
        assert row["group_id:id"], f"{addon}: {row['id']} grants every user"


def test_portal_users_only_read_their_company_records():
    """Portal customers never write our records, and each record they read is
    narrowed to their company by a portal record rule."""
    ruled = {
        r["model"]
        for r in read_csv(ROOT / "security" / "record_rules.csv")
        if r["scope"] in ("role:portal", "narrows:portal")
    }
    for addon, row in declared_rows():
        if "portal" not in row["group_id:id"]:
            continue
        model = model_name(addon, row["model_id:id"])
        writes = [r for r in RIGHTS[1:] if int(row[f"perm_{r}"])]
        assert not writes, f"{addon}: {row['id']} lets portal users {writes}"
        assert model in ruled | PORTAL_REFERENCE_MODELS, (
            f"{addon}: {row['id']}: portal users read {model} without a portal rule"
        )


def defined_models(addon):
    """Models with a table: every class declaring a _name, but AbstractModels."""
    names = set()
    for py in (ROOT / addon).glob("*/*.py"):
        for node in ast.walk(ast.parse(py.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ClassDef):
                continue
            if any(getattr(b, "attr", "") == "AbstractModel" for b in node.bases):
                continue
            declared = {
                getattr(stmt.targets[0], "id", ""): stmt.value
                for stmt in node.body
                if isinstance(stmt, ast.Assign)
            }
            name = declared.get("_name")
            if not isinstance(name, ast.Constant):
                continue
            # an extension taking in a mixin names its model and inherits it
            inherit = declared.get("_inherit")
            parents = (
                {e.value for e in inherit.elts if isinstance(e, ast.Constant)}
                if isinstance(inherit, ast.List)
                else set()
            )
            if name.value not in parents:
                names.add(name.value)
    return names


@pytest.mark.parametrize("addon", ADDONS)
def test_every_new_model_has_access_rows(addon):
    covered = {
        model_name(a, r["model_id:id"]) for a, r in declared_rows() if a == addon
    }
    assert defined_models(addon) - covered == set()


def test_multi_company_models_have_their_record_rule():
    listed = read_csv(ROOT / "security" / "record_rules.csv")
    roles = {r["role"]: r["group"] for r in read_csv(ROOT / "security" / "roles.csv")}
    for rule in listed:
        xml = "".join(
            p.read_text(encoding="utf-8")
            for p in (ROOT / rule["addon"] / "security").glob("*.xml")
        )
        match = re.search(
            rf'<record id="{rule["rule"]}" model="ir.rule">(.*?)</record>',
            xml,
            re.DOTALL,
        )
        assert match, rule
        body = match.group(1)
        assert f'model_{rule["model"].replace(".", "_")}"' in body
        if rule["scope"].startswith("role:"):
            # a rule that widens what one role may do, never a global one
            role = rule["scope"].removeprefix("role:")
            group = roles[role].removeprefix(f"{rule['addon']}.")
            assert f"ref('{group}')" in body and 'name="global"' not in body, rule
            continue
        if rule["scope"].startswith("ticket:"):
            # a record read with its ticket: the ticket's rule of that group,
            # through ticket_id, and never a global one
            group = rule["scope"].removeprefix("ticket:")
            assert f"ref('{group}')" in body and 'name="global"' not in body, rule
            assert "('ticket_id" in body, rule
            continue
        if rule["scope"].startswith("narrows:"):
            # a global rule that narrows one role only: it names the role
            role = rule["scope"].removeprefix("narrows:")
            assert f"has_group('{roles[role]}')" in body, rule
            assert 'name="groups"' not in body, rule
            continue
        assert "company_ids" in body and 'name="global" eval="True"' in body
        assert ("[False]" in body) == (rule["scope"] == "company_or_shared"), rule
    ruled = {
        r["model"]
        for r in listed
        if not r["scope"].startswith(("role:", "narrows:", "ticket:"))
    }
    for addon in ADDONS:
        for py in (ROOT / addon / "models").glob("*.py"):
            text = py.read_text(encoding="utf-8")
            name = re.search(r'^\s+_name = "([\w.]+)"', text, re.MULTILINE)
            if name and re.search(r"^\s+company_id = fields", text, re.MULTILINE):
                assert name.group(1) in ruled, (
                    f"{name.group(1)} has company_id but no rule"
                )
