import { registry } from "@web/core/registry";
import { calendarView } from "@web/views/calendar/calendar_view";
import { CalendarModel } from "@web/views/calendar/calendar_model";
import { browser } from "@web/core/browser/browser";

/*
 * The appointments calendar opens on the day on a phone: a week of seven
 * columns leaves each appointment a few pixels wide. A scale the user chose
 * is kept, as Odoo keeps it.
 */
export class FsAppointmentCalendarModel extends CalendarModel {
    getLocalStorageScale() {
        const chosen = browser.localStorage.getItem(this.storageKey);
        if (this.env.isSmall && !chosen && this.meta.scales.includes("day")) {
            return "day";
        }
        return super.getLocalStorageScale();
    }
}

registry.category("views").add("fs_appointment_calendar", {
    ...calendarView,
    Model: FsAppointmentCalendarModel,
});
