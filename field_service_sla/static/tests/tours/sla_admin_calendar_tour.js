import { registry } from "@web/core/registry";

/*
 * An SLA administrator records a public holiday on the office calendar from
 * Service levels > Public holidays.
 */
registry.category("web_tour.tours").add("field_service_sla_public_holiday_tour", {
    steps: () => [
        {
            content: "Add a public holiday",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            trigger: ".o_form_editable .o_field_widget[name='name'] input",
            run: "edit Spring festival",
        },
        {
            content: "On the office calendar",
            trigger: ".o_field_widget[name='calendar_id'] input",
            run: "edit Office hours",
        },
        {
            trigger: ".o-autocomplete--dropdown-menu li a:contains('Office hours (monitoring hall)')",
            run: "click",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_status_indicator:not(:has(.o_form_button_save:visible))",
        },
    ],
});

/*
 * The shipped calendar opens editable for the SLA administrator.
 */
registry.category("web_tour.tours").add("field_service_sla_calendar_tour", {
    steps: () => [
        {
            content: "The calendar's name can be edited",
            trigger: ".o_form_editable .o_field_widget[name='name'] input",
            run: "edit Monitoring hall",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_status_indicator:not(:has(.o_form_button_save:visible))",
        },
    ],
});
