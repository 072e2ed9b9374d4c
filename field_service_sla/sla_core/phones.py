"""Which of a contact's numbers can receive an SMS, free of Odoo.

The customers are served in mainland China, where a mobile number is eleven
digits starting with 1 (13x to 19x) and a fixed line has an area code
(023-6388 1234): only a mobile number is texted. A number is recognised
whatever its separators and with or without the country code (+86, 0086,
86); what is not recognisably a Chinese mobile number is not texted (a
foreign number, a fixed line, an extension). Full-width digits count."""

import re
import unicodedata

COUNTRY_CODE = "86"
_SEPARATORS = re.compile(r"[\s\-.()]")
_PREFIX = re.compile(r"^(?:\+|00)?86(?=1[0-9]{10}$)")
_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")


def mobile_number(phone):
    """The E.164 form (+86 and the 11 digits) of ``phone`` when it is a
    mainland China mobile number, else None."""
    # full-width digits and brackets, as a Chinese keyboard may type them
    digits = _SEPARATORS.sub("", unicodedata.normalize("NFKC", phone or ""))
    digits = _PREFIX.sub("", digits)
    if _MOBILE.match(digits):
        return f"+{COUNTRY_CODE}{digits}"
    return None
