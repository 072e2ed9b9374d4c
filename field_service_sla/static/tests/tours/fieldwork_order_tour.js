import { registry } from "@web/core/registry";

/*
 * A technician on a phone: checks in on the order, records the work log as
 * restored, sees the observation countdown and ticks the three checks.
 */
registry.category("web_tour.tours").add("field_service_sla_fieldwork_tour", {
    steps: () => [
        {
            content: "Check in: the button is at the top of the order",
            trigger: ".o_form_view button[name='action_fs_check_in']",
            run: "click",
        },
        {
            content: "The arrival is judged against the appointment",
            trigger: ".o_field_widget[name='fs_check_in_verdict']:contains('On time')",
        },
        {
            content: "Describe the fault found",
            trigger: ".o_field_widget[name='fs_fault_found'] textarea",
            run: "edit Optical modem LOS red",
        },
        {
            content: "The cause: our equipment",
            trigger: ".o_field_widget[name='fs_cause_category'] input[data-value='our_equipment']",
            run: "click",
        },
        {
            content: "The result: restored",
            trigger: ".o_field_widget[name='fs_work_result'] input[data-value='restored']",
            run: "click",
        },
        {
            content: "Save the work log",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The observation countdown shows",
            trigger: ".o_field_widget[name='fs_observation_remaining']:contains('5')",
        },
        {
            content: "Tick: tested good",
            trigger: ".o_field_widget[name='fs_check_tested'] input",
            run: "click",
        },
        {
            content: "Tick: defects fixed",
            trigger: ".o_field_widget[name='fs_check_fixed'] input",
            run: "click",
        },
        {
            content: "Tick: anomalies explained",
            trigger: ".o_field_widget[name='fs_check_explained'] input",
            run: "click",
        },
        {
            content: "Save the checks",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_view .o_form_saved",
        },
    ],
});
