from . import alarms
