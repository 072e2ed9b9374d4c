"""Whether a bulletin reached its number, free of Odoo: the states of an
escalation SMS and how the delivery reports move them.

Odoo's ``sms`` module reports delivery as the status of a notification
(``sms.tracker._update_sms_notifications``): ready and process while the
SMS waits to leave, pending once the gateway took it, sent once the handset
got it, exception or bounce when it failed, canceled when it never left. A
bulletin follows in five states of its own. Reports come late, twice, or out
of order (a receipt before the gateway's answer): a state only moves
forward, and a final one (delivered, failed, canceled) stays.
"""

QUEUED, SENT, DELIVERED, FAILED, CANCELED = (
    "queued",
    "sent",
    "delivered",
    "failed",
    "canceled",
)
STATES = (QUEUED, SENT, DELIVERED, FAILED, CANCELED)
FINAL = frozenset({DELIVERED, FAILED, CANCELED})
#: not known yet to have reached the number or not
WAITING = (QUEUED, SENT)

#: the bulletin's state for each notification status of Odoo's sms module
STATE_OF_STATUS = {
    "ready": QUEUED,
    "process": QUEUED,
    "pending": SENT,
    "sent": DELIVERED,
    "exception": FAILED,
    "bounce": FAILED,
    "canceled": CANCELED,
}

# what the gateway took is not taken back: only a queued bulletin is
# canceled; nothing goes back to queued
_MOVES_FROM = {
    QUEUED: (),
    SENT: (QUEUED,),
    DELIVERED: (QUEUED, SENT),
    FAILED: (QUEUED, SENT),
    CANCELED: (QUEUED,),
}


def moves_from(state):
    """The states a bulletin leaves for ``state`` (the others keep theirs)."""
    return _MOVES_FROM[state]


def state_of_status(notification_status):
    """The bulletin state of a notification status, None for one that says
    nothing about delivery."""
    return STATE_OF_STATUS.get(notification_status)
