"""The rules of the customer documents, free of Odoo: which documents the
customer signs and which are approved in house, which states a signature or a
decline may come from, who may not sign, how many labelled copies print, and
the fingerprint of exactly what was signed (SHA-256 of a canonical JSON of the
values the document shows)."""

import hashlib
import json
import re

# the documents (DOMAIN.md, "Documents")
CONFIRMATION = "confirmation"  # on-site fault handling confirmation
FAULT_REPORT_TECH = "fault_report_tech"  # technical (internal) fault report
FAULT_REPORT_CUSTOMER = "fault_report_customer"  # its customer version
VISIT_REPORT = "visit_report"
INSPECTION_RECORD = "inspection_record"
QUALITY_FORM = "quality_form"  # service quality supervision form
# a contractor's month (维保服务考核表), signed by the contractor
CONTRACTOR_ASSESSMENT = "contractor_assessment"
KINDS = (
    CONFIRMATION,
    FAULT_REPORT_TECH,
    FAULT_REPORT_CUSTOMER,
    VISIT_REPORT,
    INSPECTION_RECORD,
    QUALITY_FORM,
    CONTRACTOR_ASSESSMENT,
)
# approved in house, never signed by the customer
APPROVED_KINDS = frozenset({FAULT_REPORT_TECH})
SIGNED_KINDS = frozenset(KINDS) - APPROVED_KINDS

# states
DRAFT = "draft"
TO_SIGN = "to_sign"
SIGNED = "signed"
DECLINED = "declined"
APPROVED = "approved"
STATES = (DRAFT, TO_SIGN, SIGNED, DECLINED, APPROVED)
# a signature or a decline comes from these (on site, straight from a draft)
OPEN_STATES = (DRAFT, TO_SIGN)
# the content is final in these: no later change of it is accepted
FROZEN_STATES = (SIGNED, APPROVED)

# the rules want the fault report and the visit report in three copies
CUSTOMER_COPY = "customer"
ACCOUNT_MANAGER_COPY = "account_manager"
OPERATIONS_COPY = "operations"
THREE_COPIES = (CUSTOMER_COPY, ACCOUNT_MANAGER_COPY, OPERATIONS_COPY)
COPIES = {FAULT_REPORT_CUSTOMER: THREE_COPIES, VISIT_REPORT: THREE_COPIES}

# quality supervision form: each answer is a score from 1 to 5
SCORES = (1, 2, 3, 4, 5)


class DocumentError(ValueError):
    """A refusal; ``code`` says which (the shell words it for users)."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


def copies(kind):
    """The copy labels a document prints, one page set each; (None,) when the
    document prints once, unlabelled."""
    return COPIES.get(kind, (None,))


def canonical_json(content):
    """The one text of ``content`` (JSON values only): sorted keys, no
    insignificant spaces, characters as themselves. Equal contents give equal
    texts, whatever order their keys were built in."""
    return json.dumps(
        content, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )


def sha256_hex(data):
    """SHA-256 of bytes, or of a text in UTF-8, as 64 hex digits."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def content_hash(content):
    return sha256_hex(canonical_json(content))


def normalize_name(name):
    """A name as people compare them: case and spaces ignored (a Chinese
    name is the same written 李雷 or 李 雷)."""
    return re.sub(r"\s+", "", name or "").casefold()


def check_sign(kind, state, signature, name, staff_names=()):
    """Refuse a signature that cannot be accepted. ``staff_names`` are the
    names of the staff at the device: a customer's signature is never theirs."""
    if kind not in SIGNED_KINDS:
        raise DocumentError("not_signed_kind")
    if state == SIGNED:
        raise DocumentError("already_signed")
    if state not in OPEN_STATES:
        raise DocumentError("not_open")
    if not signature:
        raise DocumentError("empty_signature")
    signer = normalize_name(name)
    if not signer:
        raise DocumentError("empty_name")
    if signer in {normalize_name(n) for n in staff_names if n}:
        raise DocumentError("staff_signer")


def check_decline(kind, state, reason):
    if kind not in SIGNED_KINDS:
        raise DocumentError("not_signed_kind")
    if state in FROZEN_STATES:
        raise DocumentError("already_signed")
    if state not in OPEN_STATES:
        raise DocumentError("not_open")
    if not (reason or "").strip():
        raise DocumentError("empty_reason")


def check_approve(kind, state):
    if kind not in APPROVED_KINDS:
        raise DocumentError("not_approved_kind")
    if state == APPROVED:
        raise DocumentError("already_approved")
    if state != DRAFT:
        raise DocumentError("not_open")


def check_scores(scores):
    """Every question of the supervision form answered with a score 1-5;
    returns the questions left unanswered (refuses an impossible score)."""
    missing = []
    for question, score in scores.items():
        if score in (None, False, ""):
            missing.append(question)
        elif int(score) not in SCORES:
            raise DocumentError("bad_score")
    return missing


def mean_score(scores):
    values = [int(s) for s in scores if s not in (None, False, "")]
    return round(sum(values) / len(values), 2) if values else 0.0
