"""One ``SmppTransport.send`` on one bind: the parts still to go, those sent
and not yet answered, the pace, and the answer per text.

The pace: at most the gateway's ``rate`` submit_sm a second (a token
bucket, bursts of a twentieth of a second's worth) and at most ``window``
unanswered. An SMSC that answers ESME_RTHROTTLED or ESME_RMSGQFUL has a lower
limit than the one configured, or is busy: the throttled part goes again
first, and the pace drops by a quarter (once per throttled part sent after
the last drop: the others were sent at the old pace), then climbs back by a
quarter of a message a second per accepted part, never above the
configured rate. A part throttled for longer than ``timeout`` seconds makes
its text Refused, not permanently.
"""

from collections import deque

from smpplib import consts, exceptions, gsm

from ..sla_core.sms_delivery import TokenBucket
from .base import Accepted, Refused

#: statuses that mean "later", not "never"
SLOW_DOWN = (consts.SMPP_ESME_RTHROTTLED, consts.SMPP_ESME_RMSGQFUL)

#: the pace after a throttled answer, and what each accepted part gives back
DECREASE, INCREASE, MIN_RATE = 0.75, 0.25, 0.5

_STATUS_NAMES = {
    value: name[len("SMPP_") :]
    for name, value in vars(consts).items()
    if name.startswith("SMPP_ESME_")
}


def status_words(status):
    """``Invalid Destination Address (ESME_RINVDSTADR 0x0000000B)``."""
    words = consts.DESCRIPTIONS.get(status, "Unknown status")
    name = _STATUS_NAMES.get(status, "status")
    return f"{words} ({name} 0x{status:08X})"


class Text:
    """One Outgoing; cut into parts by smpplib (UDH when concatenated) only
    when its turn comes, and its parts let go once answered, so that a call
    holds the bytes of about a window of texts, however many it sends."""

    def __init__(self, index, outgoing, plan):
        self.index, self.outgoing, self.plan = index, outgoing, plan
        self.parts = self.ids = self.answer = None
        self.data_coding = self.esm_class = None

    def cut(self):
        self.parts, self.data_coding, self.esm_class = gsm.make_parts(
            self.outgoing.text, encoding=self.plan.data_coding
        )
        self.ids = [None] * len(self.parts)
        return [_Part(self, number) for number in range(len(self.parts))]

    def answered(self, answer):
        self.answer, self.parts = answer, None


class _Part:
    def __init__(self, text, number):
        self.text, self.number = text, number
        self.throttled_since = None
        self.sent_at = 0.0


class Batch:
    """Sends the parts of ``texts`` on ``session``; ``answers`` (index ->
    Accepted/Refused) fills in as the SMSC answers."""

    def __init__(self, transport, session, texts, answers):
        self.transport, self.session = transport, session
        self.texts, self.answers = texts, answers
        self.upcoming = iter(texts)
        self.queue = deque()  # parts to send, those to send again first
        self.inflight = {}  # submit_sm sequence -> _Part
        self.limit = float(transport.rate or 0)
        self.bucket = TokenBucket(
            self.limit,
            burst=max(1.0, self.limit / 20),
            clock=transport.clock,
            sleep=transport.sleep,
        )
        self.pause_until = 0.0
        self.last_decrease = float("-inf")
        self.accepted_at = deque()  # when the parts of the last second were

    def finished(self):
        """The answers so far, in the order of the texts."""
        return [self.answers[i] for i in sorted(self.answers)]

    def run(self):
        """Until every part is answered, or nothing came for ``timeout``
        seconds (``inflight`` then says what is left)."""
        transport, clock = self.transport, self.transport.clock
        quiet_since = clock()
        while self.more() or self.inflight:
            now = clock()
            room = len(self.inflight) < transport.window
            if self.queue and room and now >= self.pause_until:
                self.submit(self.queue.popleft())
                quiet_since = clock()
                self.session.pump(0, self.answered)
                continue
            if not self.inflight:  # paused, nothing to wait for
                transport.sleep(self.pause_until - now)
                continue
            wait = transport.timeout - (now - quiet_since)
            if self.queue and room:
                wait = min(wait, self.pause_until - now)
            if self.session.pump(max(0.0, min(wait, 1.0)), self.answered):
                quiet_since = clock()
            elif clock() - quiet_since >= transport.timeout:
                return

    def more(self):
        """True while parts are to go (the next text cut when needed)."""
        while not self.queue:
            text = next(self.upcoming, None)
            if text is None:
                return False
            self.queue.extend(text.cut())
        return True

    def submit(self, part):
        text = part.text
        if text.answer is not None:
            return  # refused meanwhile: its other parts stay home
        transport = self.transport
        self.bucket.take()
        number = text.outgoing.number.strip()
        pdu = self.session.client.send_message(
            source_addr_ton=transport.source_ton,
            source_addr_npi=transport.source_npi,
            source_addr=transport.source_addr,
            dest_addr_ton=1 if number.startswith("+") else 0,
            dest_addr_npi=1,
            destination_addr=number.lstrip("+"),
            esm_class=text.esm_class,
            data_coding=text.data_coding,
            registered_delivery=consts.SMPP_SMSC_DELIVERY_RECEIPT_BOTH,
            short_message=text.parts[part.number],
        )
        part.sent_at = self.transport.clock()
        self.inflight[pdu.sequence] = part

    def answered(self, pdu):
        """A submit_sm_resp or generic_nack came."""
        part = self.inflight.pop(pdu.sequence, None)
        if part is None or part.text.answer is not None:
            return  # late, or its text already refused
        text, status = part.text, pdu.status
        if pdu.command == "submit_sm_resp" and status == consts.SMPP_ESME_ROK:
            self.speed_up()
            text.ids[part.number] = (pdu.message_id or b"").decode("latin-1")
            if all(text.ids):
                ids = tuple(text.ids)
                text.answered(
                    Accepted(
                        text.outgoing.key,
                        ids,
                        len(ids),
                        f"submit_sm_resp ESME_ROK (0x00000000) id={','.join(ids)}",
                    )
                )
                self.answers[text.index] = text.answer
        elif pdu.command == "submit_sm_resp" and status in SLOW_DOWN:
            self.slow_down(part, status)
        else:
            self.refuse(text, f"{pdu.command} {status_words(status)}", True)

    def _set_rate(self, rate):
        self.bucket.rate = rate
        self.bucket.burst = max(1.0, rate / 20)

    def speed_up(self):
        now = self.transport.clock()
        self.accepted_at.append(now)
        while self.accepted_at and now - self.accepted_at[0] > 1.0:
            self.accepted_at.popleft()
        rate = self.bucket.rate
        if rate > 0 and (not self.limit or rate < self.limit):
            rate += INCREASE
            self._set_rate(min(rate, self.limit) if self.limit else rate)

    def slow_down(self, part, status):
        now = self.transport.clock()
        part.throttled_since = part.throttled_since or now
        if now - part.throttled_since > self.transport.timeout:
            self.refuse(
                part.text,
                f"submit_sm_resp {status_words(status)} for more than "
                f"{self.transport.timeout} s",
                False,
            )
            return
        self.queue.appendleft(part)
        if part.sent_at < self.last_decrease:
            return  # sent at the pace already slowed down
        self.last_decrease = now
        current = self.bucket.rate
        if current <= 0:  # no limit configured: start from what went through
            span = now - self.accepted_at[0] if self.accepted_at else 0.0
            current = max(1.0, len(self.accepted_at) / max(0.05, span))
        self._set_rate(max(MIN_RATE, current * DECREASE))
        self.pause_until = max(self.pause_until, now + 1.0 / self.bucket.rate)

    def refuse(self, text, reason, permanent):
        text.answered(Refused(text.outgoing.key, reason, permanent))
        self.answers[text.index] = text.answer

    def salvage(self):
        """After a broken connection: read the answers already received."""
        try:
            while self.session.pump(0, self.answered):
                pass
        except (exceptions.ConnectionError, exceptions.PDUError, OSError):
            pass
