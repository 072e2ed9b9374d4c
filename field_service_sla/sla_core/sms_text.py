"""The custom text of an SMS bulletin, free of Odoo: the placeholders it may
name, whether it is well formed, and how it is filled.

An administrator writes it; the escalation sweep fills it for every ticket a
step fires on. Python's own ``str.format`` would read a format spec
(``{summary:>100000}`` pads to 100,000 characters), a conversion, an
attribute or an index, and raise on a stray brace in the middle of a sweep.
Here a text names known placeholders only, bare, with balanced braces
(``{{`` and ``}}`` are literal braces), and its longest filling stays under
MAX_LENGTH: checked when it is saved and again when it is filled, so that a
text written past the check (by SQL, by an import) fails alone, with a
reason, instead of in ``format_map``.
"""

from string import Formatter

#: the placeholders a custom text may name, in the order the help lists them
PLACEHOLDERS = ("customer", "summary", "time", "duration")
#: the longest each placeholder is filled with: bulletin() cuts the customer
#: to 30 and the summary to 40 characters; a time is ``YYYY/MM/DD HH:MM``; a
#: duration ``12345小时59分`` (more than a year)
FILLED_MAX = {"customer": 30, "summary": 40, "time": 16, "duration": 11}
#: the longest SMS a custom text may give: about four concatenated parts of
#: 67 Chinese characters
MAX_LENGTH = 280

# problem codes
UNBALANCED = "unbalanced"
UNKNOWN = "unknown"
FORMAT_SPEC = "format_spec"
CONVERSION = "conversion"
TOO_LONG = "too_long"


class SmsTextError(ValueError):
    """A custom text that cannot be filled; ``problems`` as text_problems()
    gives them."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("; ".join(_describe(p) for p in problems))


def _describe(problem):
    code, detail = problem
    return f"{code}: {detail}" if detail is not None else code


def _parts(text):
    """``[(literal, placeholder or None, spec, conversion)]``; raises
    ValueError on unbalanced braces."""
    return list(Formatter().parse(text or ""))


def text_problems(text):
    """What is wrong with a custom text, as ``(code, detail)`` pairs, in the
    order of the text; empty when it can be saved. Codes: UNBALANCED (no
    detail), UNKNOWN, FORMAT_SPEC and CONVERSION (the placeholder as
    written), TOO_LONG (its longest filling, in characters)."""
    try:
        parts = _parts(text)
    except ValueError:
        return [(UNBALANCED, None)]
    problems = []
    longest = 0
    for literal, name, spec, conversion in parts:
        longest += len(literal)
        if name is None:
            continue
        if name not in FILLED_MAX:
            problems.append((UNKNOWN, name))
            continue
        if spec:
            problems.append((FORMAT_SPEC, f"{name}:{spec}"))
        if conversion:
            problems.append((CONVERSION, f"{name}!{conversion}"))
        longest += FILLED_MAX[name]
    if longest > MAX_LENGTH:
        problems.append((TOO_LONG, longest))
    return problems


def fill(text, values):
    """``text`` with its placeholders replaced by ``values`` (strings, by
    placeholder name). Raises SmsTextError when the text has a problem or the
    result is longer than MAX_LENGTH; never reads anything of ``values`` but
    the string itself."""
    problems = text_problems(text)
    if problems:
        raise SmsTextError(problems)
    result = "".join(
        literal + ("" if name is None else str(values.get(name, "")))
        for literal, name, _spec, _conversion in _parts(text)
    )
    if len(result) > MAX_LENGTH:
        raise SmsTextError([(TOO_LONG, len(result))])
    return result


__all__ = [
    "CONVERSION",
    "FILLED_MAX",
    "FORMAT_SPEC",
    "MAX_LENGTH",
    "PLACEHOLDERS",
    "TOO_LONG",
    "UNBALANCED",
    "UNKNOWN",
    "SmsTextError",
    "fill",
    "text_problems",
]
