import { registry } from "@web/core/registry";

/*
 * The order's two dialogs, opened by their buttons and saved as a user
 * does (the web client does not send a readonly field: the order must still
 * reach the dialog's record).
 */
registry.category("web_tour.tours").add("field_service_sla_reschedule_tour", {
    steps: () => [
        {
            content: "Change the appointment",
            trigger: ".o_form_view button[name='action_fs_reschedule']",
            run: "click",
        },
        {
            content: "The dialog names the order",
            trigger: ".modal .o_field_widget[name='order_id']:contains('TOUR')",
        },
        {
            content: "The company causes it",
            trigger: ".modal .o_field_widget[name='caused_by'] input[data-value='company']",
            run: "click",
        },
        {
            content: "Why",
            trigger: ".modal .o_field_widget[name='reason'] input",
            run: "edit Crew held up on a severe fault",
        },
        {
            content: "The new start: open the filled date",
            trigger: ".modal .o_field_widget[name='new_start'] .o_input",
            run: "click",
        },
        {
            content: "The new start",
            trigger: ".modal .o_field_widget[name='new_start'] input",
            run: "edit 01/15/2030 09:00:00 && press Enter",
        },
        {
            content: "The new end: open the date",
            trigger: ".modal .o_field_widget[name='new_end'] .o_input",
            run: "click",
        },
        {
            content: "The new end",
            trigger: ".modal .o_field_widget[name='new_end'] input",
            run: "edit 01/15/2030 10:00:00 && press Enter",
        },
        {
            content: "Save the change",
            trigger: ".modal .modal-footer button.btn-primary",
            run: "click",
        },
        {
            content: "Saved: the dialog closed",
            trigger: "body:not(:has(.modal)) .o_form_view",
        },
        {
            content: "The order shows the new start",
            trigger: ".o_form_view div[name='fs_appointment_start']:contains('2030')",
        },
    ],
});

registry.category("web_tour.tours").add("field_service_sla_absent_tour", {
    steps: () => [
        {
            content: "Nobody opens: record the customer as absent",
            trigger: ".o_form_view button[name='action_fs_customer_absent']",
            run: "click",
        },
        {
            content: "The dialog names the order",
            trigger: ".modal .o_field_widget[name='order_id']:contains('TOUR')",
        },
        {
            content: "The phone called",
            trigger: ".modal .o_field_widget[name='phone'] input",
            run: "edit 13800000000",
        },
        {
            content: "The contact",
            trigger: ".modal .o_field_widget[name='contact_name'] input",
            run: "edit Li Wei",
        },
        {
            content: "The next appointment",
            trigger: ".modal .o_field_widget[name='next_start'] input",
            run: "edit 01/15/2030 14:00:00 && press Enter",
        },
        {
            content: "Save the visit note",
            trigger: ".modal .modal-footer button.btn-primary",
            run: "click",
        },
        {
            content: "Saved: the order is a priority appointment, to check in again",
            trigger:
                "body:not(:has(.modal)) .o_field_widget[name='fs_priority_appointment']",
        },
        {
            trigger: ".o_form_view button[name='action_fs_check_in']",
        },
    ],
});
