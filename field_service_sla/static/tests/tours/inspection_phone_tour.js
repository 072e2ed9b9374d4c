import { registry } from "@web/core/registry";

/*
 * On a phone, a technician starts an inspection and records two readings (one out of
 * range and fixed on site, one out of range left for a follow-up ticket) and
 * one check, then confirms the findings.
 */
registry.category("web_tour.tours").add("field_service_sla_inspection_phone_tour", {
    steps: () => [
        {
            content: "Start the inspection: its time is counted",
            trigger: "button[name='action_start']",
            run: "click",
        },
        {
            content: "Started: the first button is now Confirm",
            trigger: ".o_statusbar_buttons:not(:has(button[name='action_start'])) button[name='action_done']",
        },
        {
            content: "Open the temperature reading",
            trigger: ".o_field_widget[name='reading_ids'] .o_kanban_record:contains('Temperature')",
            run: "click",
        },
        {
            content: "Type the measured temperature",
            trigger: ".modal .o_field_widget[name='value'] input",
            run: "edit 35 && press Tab",
        },
        {
            content: "The verdict shows it is too high",
            trigger: ".modal .o_field_widget[name='verdict']:contains('Too high')",
        },
        {
            content: "It was fixed on site",
            trigger: ".modal .o_field_widget[name='fixed_on_site'] input",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name='fixed_on_site'] input:checked",
        },
        {
            trigger: ".modal .o_field_widget[name='fix_note'] input",
            run: "edit Air conditioning restarted",
        },
        {
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "Open the grounding resistance reading",
            trigger:
                "body:not(:has(.modal)) .o_field_widget[name='reading_ids'] .o_kanban_record:contains('Grounding resistance')",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name='value'] input",
            run: "edit 6.2 && press Tab",
        },
        {
            trigger: ".modal .o_field_widget[name='verdict']:contains('Too high')",
        },
        {
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The card shows the verdict",
            trigger:
                "body:not(:has(.modal)) .o_field_widget[name='reading_ids'] .o_kanban_record:contains('Grounding resistance'):contains('Too high')",
        },
        {
            content: "Open the checklist",
            trigger: ".o_notebook a[name='items']",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='item_ids'] .o_kanban_record:contains('Labels')",
            run: "click",
        },
        {
            content: "The check passes",
            trigger: ".modal .o_field_widget[name='result'] input[data-value='pass']",
            run: "click",
        },
        {
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "Confirm the findings",
            trigger: "body:not(:has(.modal)) button[name='action_done']",
            run: "click",
        },
        {
            content: "The findings are recorded",
            trigger: ".o_notebook a[name='findings']",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='finding_ids'] :contains('Grounding resistance')",
        },
    ],
});
