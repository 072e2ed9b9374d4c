from . import alarms
from . import sms_receipts
