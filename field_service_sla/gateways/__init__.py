"""The SMS transports, free of Odoo and of tickets: each takes a list of
``Outgoing`` texts and answers, per text, ``Accepted`` or ``Refused``, or
raises ``GatewayDown`` (with what it had sent before); each reads delivery
receipts. The Odoo shell (``models/fs_sms_gateway*.py``) keeps the queue, the
retries and the records; a transport keeps nothing between two calls."""

from .base import (
    DELIVERED,
    FAILED,
    PENDING,
    Accepted,
    GatewayDown,
    Outgoing,
    Receipt,
    Refused,
)
