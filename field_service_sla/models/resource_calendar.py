from datetime import timedelta

from pytz import utc

from odoo import fields, models

from ..sla_core import AroundTheClock, ChunkedSchedule


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    # The shipped office calendar and its days are read by Chinese and English
    # users alike: their names come from the po files, like any data record's.
    name = fields.Char(translate=True)

    def _sla_work_intervals(self, start, end):
        """Working intervals of this calendar in ``[start, end)``, public holidays
        removed, as naive UTC pairs: the input the SLA core expects."""
        self.ensure_one()
        intervals = self._work_intervals_batch(utc.localize(start), utc.localize(end))[
            False
        ]
        return [
            (
                a.astimezone(utc).replace(tzinfo=None),
                b.astimezone(utc).replace(tzinfo=None),
            )
            for a, b, _records in intervals
        ]

    def _sla_has_working_time(self, start, days=366):
        self.ensure_one()
        return bool(self._sla_work_intervals(start, start + timedelta(days=days)))


class ResourceCalendarAttendance(models.Model):
    _inherit = "resource.calendar.attendance"

    name = fields.Char(translate=True)


class ScheduleCache:
    """One SLA schedule per calendar for the length of one batch operation, so
    that a thousand clocks on the office calendar cost one interval fetch per
    eight weeks of calendar, not one per clock."""

    def __init__(self, env):
        self._calendars = env["resource.calendar"].sudo()
        self._by_id = {}
        self._always = AroundTheClock()

    def get(self, calendar_id):
        if not calendar_id:
            return self._always
        if calendar_id not in self._by_id:
            calendar = self._calendars.browse(calendar_id)
            self._by_id[calendar_id] = ChunkedSchedule(calendar._sla_work_intervals)
        return self._by_id[calendar_id]
