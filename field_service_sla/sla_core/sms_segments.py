"""How a text travels as SMS, free of Odoo: its alphabet and how many
messages (segments) it takes.

A text every character of which is in the GSM 03.38 alphabet goes in GSM 7-bit
(160 characters in one message, 153 in each part of a concatenated one; the
characters of the extension table, ``{}[]~\\|^€`` and the form feed, take two).
Anything else, Chinese among it, goes in UCS-2: 70 characters in one message,
67 in each part, a character outside the Basic Multilingual Plane taking two.

The transport leaves the splitting and the user data header to the SMPP
library (``smpplib.gsm.make_parts``), which cuts the encoded bytes every 153
(GSM) or 134 (UCS-2) bytes. It does not look at what it cuts: a two-septet
character of the extension table, or a surrogate pair, astride a cut would
arrive broken. ``plan_text`` therefore says UCS-2 for a GSM text the library
would cut in the middle of an escape, and marks a UCS-2 text it would cut in
the middle of a surrogate pair as unsafe, so that the caller can refuse it
with a reason instead of sending something garbled.
"""

from dataclasses import dataclass

GSM7 = "gsm7"
UCS2 = "ucs2"

#: SMPP data_coding of each alphabet: 0 (the SMSC's default, GSM 03.38) and 8
DATA_CODING = {GSM7: 0x00, UCS2: 0x08}

#: (units in a single message, units in each part of a concatenated one):
#: GSM counts septets, UCS-2 counts 16-bit code units
LIMITS = {GSM7: (160, 153), UCS2: (70, 67)}

#: at most this many parts in one concatenated message (a one-octet counter)
MAX_PARTS = 255

# GSM 03.38 basic character set (one septet each) and its extension table
# (an escape, then one septet)
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# "§" (0x5F) is left out: the library's table has "`" in its place and
# cannot encode it, so a text with "§" goes in UCS-2
GSM_EXTENDED = frozenset("^{}\\[~]|€\f")


@dataclass(frozen=True)
class TextPlan:
    """How a text goes: its alphabet, the units it takes (septets or UCS-2
    code units), its number of messages, and whether the library's cuts fall
    between characters."""

    encoding: str
    units: int
    segments: int
    safe: bool = True

    @property
    def data_coding(self):
        return DATA_CODING[self.encoding]


def _gsm_units(text):
    """Septets of a text in GSM 7-bit, or None when a character is not in
    the alphabet."""
    units = 0
    for char in text:
        if char in GSM_BASIC:
            units += 1
        elif char in GSM_EXTENDED:
            units += 2
        else:
            return None
    return units


def _segments(units, encoding):
    single, part = LIMITS[encoding]
    if units <= single:
        return 1
    return -(-units // part)


def _gsm_cut_is_clean(text, part):
    """True when no cut every ``part`` septets falls between an escape and
    the septet it announces."""
    position = 0
    for char in text:
        width = 2 if char in GSM_EXTENDED else 1
        if width == 2 and (position // part) != ((position + 1) // part):
            return False
        position += width
    return True


def _ucs2_units(text):
    return sum(2 if ord(char) > 0xFFFF else 1 for char in text)


def _ucs2_cut_is_clean(text, part):
    position = 0
    for char in text:
        width = 2 if ord(char) > 0xFFFF else 1
        if width == 2 and (position // part) != ((position + 1) // part):
            return False
        position += width
    return True


def plan_text(text):
    """The ``TextPlan`` of ``text``: GSM 7-bit where every character allows
    it and the library's cuts fall between characters, else UCS-2."""
    text = text or ""
    septets = _gsm_units(text)
    if septets is not None:
        single, part = LIMITS[GSM7]
        if septets <= single or _gsm_cut_is_clean(text, part):
            return TextPlan(GSM7, septets, _segments(septets, GSM7))
    units = _ucs2_units(text)
    single, part = LIMITS[UCS2]
    safe = units <= single or _ucs2_cut_is_clean(text, part)
    segments = _segments(units, UCS2)
    return TextPlan(UCS2, units, segments, safe and segments <= MAX_PARTS)


def segment_count(text):
    """The number of messages ``text`` takes."""
    return plan_text(text).segments
