import { registry } from "@web/core/registry";

/*
 * The monitoring desk's day: an alarm nothing matched waits in the queue; the
 * dispatcher links it to its line, lands on the ticket it opened, sees that
 * its alarm has cleared and takes the clear as the restore time.
 */
registry.category("web_tour.tours").add("field_service_sla_alarm_desk_tour", {
    steps: () => [
        {
            content: "The unmatched alarm waits in the queue: link it in one click",
            trigger:
                ".o_list_view .o_data_row:has(td[name='element']:contains('OLT-TOUR')) button[name='action_link_line']",
            run: "click",
        },
        {
            content: "Choose the line",
            trigger: ".modal .o_field_widget[name='service_line_id'] input",
            run: "edit TOUR-AL-1",
        },
        {
            trigger: ".o-autocomplete--dropdown-menu li a:contains('TOUR-AL-1')",
            run: "click",
        },
        {
            content: "Link",
            trigger: ".modal .modal-footer button.btn-primary",
            run: "click",
        },
        {
            content: "The ticket the alarm opened says its alarms cleared",
            trigger: "body:not(:has(.modal)) .o_form_view .o_fs_alarm_banner .text-bg-success",
        },
        {
            content: "Take the clear as the restore time",
            trigger: ".o_form_view button[name='action_fs_restored_at_alarm_clear']",
            run: "click",
        },
        {
            content: "Recorded: the button is gone",
            trigger:
                ".o_form_view .o_fs_alarm_banner:not(:has(button[name='action_fs_restored_at_alarm_clear']))",
        },
    ],
});
