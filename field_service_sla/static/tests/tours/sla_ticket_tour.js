import { registry } from "@web/core/registry";

/*
 * A technician opens a ticket on a service line (which they cannot change),
 * reads its SLA milestones,
 * records the first contact and sees that milestone met; then pauses the
 * clocks for a reason and resumes them.
 */
registry.category("web_tour.tours").add("field_service_sla_ticket_tour", {
    steps: () => [
        {
            content: "Reclassifying is the dispatcher's: the service line is read-only",
            trigger: ".o_field_widget[name='service_line_id'].o_readonly_modifier",
        },
        {
            content: "Open the Service level tab",
            trigger: ".o_notebook a[name='sla']",
            run: "click",
        },
        {
            content: "The first-contact milestone is running",
            trigger:
                ".o_field_widget[name='sla_clock_ids'] .o_data_row:contains('First contact'):contains('Running')",
        },
        {
            content: "Record the first contact",
            trigger: "button[name='action_sla_contacted']",
            run: "click",
        },
        {
            content: "The first-contact milestone is met",
            trigger:
                ".o_field_widget[name='sla_clock_ids'] .o_data_row:contains('First contact'):contains('Met')",
        },
        {
            content: "Pause the clocks",
            trigger: "button[name='action_sla_pause']",
            run: "click",
        },
        {
            content: "Choose the reason: every reason is one tap away",
            trigger: ".modal .o_field_widget[name='reason_id'] .o_radio_item:contains('Waiting for customer') input",
            run: "click",
        },
        {
            content: "Confirm the pause",
            trigger: ".modal button[name='action_pause']",
            run: "click",
        },
        {
            content: "The restore milestone is paused",
            trigger:
                ".o_field_widget[name='sla_clock_ids'] .o_data_row:contains('Service restored'):contains('Paused')",
        },
        {
            content: "A paused ticket offers Resume, not Pause",
            trigger:
                ".o_form_view:not(:has(button[name='action_sla_pause'])) button[name='action_sla_resume']",
        },
        {
            content: "Resume the clocks",
            trigger: "button[name='action_sla_resume']",
            run: "click",
        },
        {
            content: "The restore milestone runs again",
            trigger:
                ".o_field_widget[name='sla_clock_ids'] .o_data_row:contains('Service restored'):contains('Running')",
        },
    ],
});

/*
 * The list and the kanban card name the milestone that comes next and the
 * time left, rather than a bare deadline.
 */
registry.category("web_tour.tours").add("field_service_sla_cards_tour", {
    steps: () => [
        {
            content: "The list's SLA column names the next milestone and its time left",
            trigger:
                ".o_data_row:contains('Tour: line down') td[name='sla_summary']:contains('First contact'):contains('left')",
        },
        {
            content: "Switch to the cards",
            trigger: ".o_switch_view.o_kanban",
            run: "click",
        },
        {
            content: "The card says the same",
            trigger:
                ".o_kanban_record:contains('Tour: line down') [name='sla_summary']:contains('First contact'):contains('left')",
        },
    ],
});
