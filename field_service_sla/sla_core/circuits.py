"""Circuit references (业务电路编号) as one operator writes them: the same
circuit typed as ``cq-idl-100001``, ``CQ-IDL-100001 `` or ``CQ-IDL  100001``
is one circuit. The stored form, the uniqueness check, the import's duplicate
check and the search all use ``normalize_circuit_ref``."""

import re

_SPACES = re.compile(r"\s+")


def normalize_circuit_ref(value):
    """Leading and trailing blanks dropped, inner runs of blanks (any
    whitespace, full-width spaces included) made one space, upper case.
    Anything but a string (False, None) is returned as it is."""
    if not isinstance(value, str):
        return value
    return _SPACES.sub(" ", value).strip().upper()
