"""SMPP delivery receipts, free of Odoo and of the SMPP library: what a
receipt says about a message.

An SMSC reports a message's fate in a ``deliver_sm`` whose ``esm_class`` says
"delivery receipt". Its text follows the SMPP 3.4 appendix B format::

    id:IIIIIIIIII sub:SSS dlvrd:DDD submit date:YYMMDDhhmm done date:YYMMDDhhmm
    stat:DDDDDDD err:E text:...

and most SMSCs add the ``receipted_message_id`` and ``message_state`` optional
parameters (TLVs). The TLVs are the more reliable (some SMSCs write the id in
the text in decimal but gave it in hexadecimal in ``submit_sm_resp``), so they
win when present; the text fills in what they do not say, and gives the
``stat``/``err`` words shown to the user.
"""

import re
from dataclasses import dataclass

#: the same words as ``gateways.base`` (a test keeps them equal)
DELIVERED = "delivered"
FAILED = "failed"
PENDING = "pending"

#: the ``stat`` words of appendix B and what they mean for the message
STAT_STATES = {
    "DELIVRD": DELIVERED,
    "UNDELIV": FAILED,
    "REJECTD": FAILED,
    "EXPIRED": FAILED,
    "DELETED": FAILED,
    "UNKNOWN": FAILED,
    "ENROUTE": PENDING,
    "ACCEPTD": PENDING,
}

#: the ``message_state`` TLV (SMPP 3.4, 5.2.28) as a ``stat`` word
MESSAGE_STATES = {
    1: "ENROUTE",
    2: "DELIVRD",
    3: "EXPIRED",
    4: "DELETED",
    5: "UNDELIV",
    6: "ACCEPTD",
    7: "UNKNOWN",
    8: "REJECTD",
}

# the fields before "text:", in any order, case-insensitive; "text:" takes
# the rest of the receipt, spaces and colons included
_FIELD = re.compile(
    r"(?<!\S)(?P<key>id|sub|dlvrd|submit date|done date|stat|err)"
    r":(?P<value>\S*)",
    re.IGNORECASE,
)
_TEXT = re.compile(r"(?<!\S)text:", re.IGNORECASE)


class NotAReceipt(ValueError):
    """The text is not a delivery receipt (no id, or no stat)."""


@dataclass(frozen=True)
class SmppReceipt:
    """What a receipt says: the message id, the ``stat`` word, the ``err``
    code, the message's state (DELIVERED, FAILED or PENDING), the dates as
    written (YYMMDDhhmm), and the first characters of the message."""

    message_id: str
    stat: str
    err: str = ""
    submit_date: str = ""
    done_date: str = ""
    text: str = ""

    @property
    def state(self):
        return STAT_STATES.get(self.stat, FAILED)

    @property
    def reason(self):
        """The gateway's words, e.g. ``stat:UNDELIV err:001``."""
        return f"stat:{self.stat} err:{self.err or '000'}"


def _as_text(value):
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("latin-1")
    return value or ""


def parse_smpp_receipt(text, receipted_message_id=None, message_state=None):
    """The ``SmppReceipt`` of a receipt's text (str or bytes), the
    ``receipted_message_id`` and ``message_state`` TLVs winning over the text
    when given. Raises ``NotAReceipt`` when neither says which message, or
    neither says its state. A ``stat`` word outside appendix B is kept as
    written and counts as FAILED (a receipt never leaves a message pending
    for ever)."""
    text = _as_text(text).replace("\x00", "")
    match = _TEXT.search(text)
    body, tail = (text[: match.start()], text[match.end() :]) if match else (text, "")
    fields = {}
    for match in _FIELD.finditer(body):
        fields.setdefault(match.group("key").lower(), match.group("value"))
    message_id = _as_text(receipted_message_id).strip() or fields.get("id", "")
    stat = fields.get("stat", "").upper()
    if message_state in MESSAGE_STATES:
        stat = MESSAGE_STATES[message_state]
    if not message_id:
        raise NotAReceipt("no message id in the receipt")
    if not stat:
        raise NotAReceipt("no stat in the receipt")
    return SmppReceipt(
        message_id=message_id,
        stat=stat,
        err=fields.get("err", ""),
        submit_date=fields.get("submit date", ""),
        done_date=fields.get("done date", ""),
        text=tail,
    )


def format_smpp_receipt(message_id, stat, err="000", submit="", done="", text=""):
    """A receipt's text in the appendix B format (for simulators and
    tests): ``sub``/``dlvrd`` say one message, delivered or not."""
    dlvrd = "001" if stat == "DELIVRD" else "000"
    return (
        f"id:{message_id} sub:001 dlvrd:{dlvrd} submit date:{submit} "
        f"done date:{done} stat:{stat} err:{err} text:{text}"
    )
