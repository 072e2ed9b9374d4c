"""What every SMS transport takes and answers."""

from dataclasses import dataclass, field

#: the states a delivery receipt reports
DELIVERED = "delivered"
FAILED = "failed"
PENDING = "pending"


@dataclass(frozen=True)
class Outgoing:
    """One text to one number. ``key`` is the caller's (the SMS's uuid): it
    comes back in the answer; the transport does not read it."""

    key: str
    number: str
    text: str


@dataclass(frozen=True)
class Accepted:
    """The gateway took the text: the ids it gave each part (one id for a
    single message, one per part of a concatenated one, or one for the whole
    when the HTTP platform gives one), the number of parts sent, and what the
    gateway answered, in its words (for the *Test* dialog)."""

    key: str
    message_ids: tuple
    segments: int
    detail: str = ""


@dataclass(frozen=True)
class Refused:
    """The gateway refused this text. ``permanent``: sending it again will
    not help (a bad number, a text the gateway rejects); otherwise it is
    tried again later (throttled, the gateway's queue full). ``reason`` is
    what the gateway answered, for the user: never a password."""

    key: str
    reason: str
    permanent: bool = True


@dataclass(frozen=True)
class Receipt:
    """A delivery receipt: the gateway's message id, DELIVERED, FAILED or
    PENDING, and the gateway's words for it (``stat``/``err`` of an SMPP
    receipt, the platform's status)."""

    message_id: str
    state: str
    reason: str = ""


class GatewayDown(Exception):
    """The gateway cannot be reached, refused the bind or the credentials,
    or dropped the connection. ``done`` holds the answers for the texts it
    had answered before (they must not be sent again); every other text of
    the call is to be tried again later. ``receipts`` those read meanwhile."""

    def __init__(self, reason, done=(), receipts=()):
        super().__init__(reason)
        self.reason = reason
        self.done = list(done)
        self.receipts = list(receipts)


@dataclass
class SendResult:
    """What ``send`` answers: one Accepted or Refused per Outgoing answered,
    and the receipts read while sending."""

    answers: list = field(default_factory=list)
    receipts: list = field(default_factory=list)
