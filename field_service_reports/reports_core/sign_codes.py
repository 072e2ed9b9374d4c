"""The one-time code that confirms a customer's signature, free of Odoo.

A signature is only as good as the signer is who the document names. Where
the customer's contact has a mobile number, a six-digit code texted to it
proves that the person signing holds that phone: the technician on site does
not, nor whoever a portal link was forwarded to. A code is random, kept only
as a keyed hash, expires, allows a few wrong tries, serves once, and is sent
no more often than a person types one."""

import hashlib
import hmac
import re
import secrets
import unicodedata
from datetime import timedelta

from .documents import DocumentError, normalize_name

DIGITS = 6
LIFETIME = timedelta(minutes=10)
MAX_ATTEMPTS = 5
# between two codes for the same document, and how many an hour
RESEND_AFTER = timedelta(seconds=60)
SENDS_PER_HOUR = 5


def new_code(randbelow=secrets.randbelow):
    """Six random digits (leading zeros kept), from the system's CSPRNG."""
    return f"{randbelow(10**DIGITS):0{DIGITS}d}"


def hash_code(code, key, salt):
    """What is stored of a code: HMAC-SHA256 keyed with the database's
    secret and salted per code, so a copy of the table gives no code back
    (a million candidates would be found at once without the key)."""
    message = f"{salt}:{code}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def clean_code(text):
    """The digits a person typed, whatever spaces or full-width digits."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def check_send(sent_on, now):
    """Refuse a new code too soon after the last one (``too_soon``) or past
    the hourly allowance (``too_many``). ``sent_on``: when the earlier codes
    of the document were sent."""
    recent = [t for t in sent_on if now - t < timedelta(hours=1)]
    if recent and now - max(recent) < RESEND_AFTER:
        raise DocumentError("code_too_soon")
    if len(recent) >= SENDS_PER_HOUR:
        raise DocumentError("code_too_many")


def wait_seconds(sent_on, now):
    """Seconds until a new code may be sent (0: now)."""
    recent = [t for t in sent_on if now - t < timedelta(hours=1)]
    if not recent:
        return 0
    if len(recent) >= SENDS_PER_HOUR:
        return int((min(recent) + timedelta(hours=1) - now).total_seconds()) + 1
    return max(0, int((max(recent) + RESEND_AFTER - now).total_seconds()) + 1)


def check_code(given, stored, key, *, now, sent_on, attempts, used):
    """Refuse ``given`` against the latest code sent (``stored``: its hash
    and salt, or None when none was sent). In this order: no code sent, used
    already, expired, tried too often, empty, wrong. Only a ``code_wrong``
    refusal counts as an attempt."""
    if not stored:
        raise DocumentError("code_none")
    if used:
        raise DocumentError("code_used")
    if now - sent_on >= LIFETIME:
        raise DocumentError("code_expired")
    if attempts >= MAX_ATTEMPTS:
        raise DocumentError("code_locked")
    given = clean_code(given)
    if not given:
        raise DocumentError("code_empty")
    code_hash, salt = stored
    if not hmac.compare_digest(hash_code(given, key, salt), code_hash):
        raise DocumentError("code_wrong")


def mask_number(number):
    """A mobile number as the page shows it to whoever opened the link:
    enough for the contact to recognise, too little to reach them
    (+86 138****1111)."""
    digits = re.sub(r"\D", "", number or "")
    if len(digits) < 7:
        return "*" * len(digits)
    national, country = digits[-11:], digits[:-11].removeprefix("00")
    prefix = f"+{country} " if country else ""
    return f"{prefix}{national[:3]}****{national[-4:]}"


def mask_email(address):
    """An e-mail address as the page shows it to whoever opened the link:
    the first letter of the mailbox and the domain (l***@example.com)."""
    local, at, domain = (address or "").strip().partition("@")
    if not at:
        return "*" * len(local)
    return f"{local[:1]}***@{domain}"


# in free text (an audit trail's note): an e-mail address, and a mainland
# mobile number with or without its country code and separators, neither
# inside a longer word or number (a hash, an order's number)
_EMAIL_IN_TEXT = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_MOBILE_IN_TEXT = re.compile(
    r"(?<![\w+])(?:(?:\+|00)?86[\s-]?)?1[3-9](?:[\s-]?\d){9}(?![\w])"
)


def mask_contacts(text):
    """``text`` with every e-mail address and mobile number in it masked as
    :func:`mask_email` and :func:`mask_number` show them: what the portal
    shows of a contact detail that the audit trail keeps in full for the
    staff (where the link was sent, a contact added on site)."""
    if not text:
        return text
    text = _EMAIL_IN_TEXT.sub(lambda m: mask_email(m.group()), text)
    return _MOBILE_IN_TEXT.sub(lambda m: mask_number(m.group()), text)


def names_match(typed, contact_name):
    """The name typed is the contact's, as people compare names."""
    return bool(typed) and normalize_name(typed) == normalize_name(contact_name)
