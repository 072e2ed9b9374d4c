import { registry } from "@web/core/registry";

/*
 * An account manager (no contact-administrator rights) opens a customer, sets
 * its tier on the Service level tab and adds a service line in place.
 */
registry.category("web_tour.tours").add("field_service_sla_account_manager_tour", {
    steps: () => [
        {
            content: "Open the Service level tab",
            trigger: ".o_notebook a[name='service_level']",
            run: "click",
        },
        {
            content: "Choose the tier",
            trigger: ".o_field_widget[name='customer_tier_id'] input",
            run: "edit Gold",
        },
        {
            trigger: ".o-autocomplete--dropdown-menu li a:contains('Gold')",
            run: "click",
        },
        {
            content: "Add a service line",
            trigger: ".o_field_widget[name='service_line_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Circuit ID",
            trigger: ".o_field_widget[name='service_line_ids'] .o_data_row .o_field_widget[name='circuit_ref'] input",
            run: "edit TOUR-AM-1",
        },
        {
            content: "Service type",
            trigger: ".o_field_widget[name='service_line_ids'] .o_data_row .o_field_widget[name='service_type_id'] input",
            run: "edit Internet",
        },
        {
            trigger: ".o-autocomplete--dropdown-menu li a:contains('Internet dedicated line')",
            run: "click",
        },
        {
            content: "Assurance level",
            trigger: ".o_field_widget[name='service_line_ids'] .o_data_row .o_field_widget[name='assurance_level_id'] input",
            run: "edit AA",
        },
        {
            trigger: ".o-autocomplete--dropdown-menu li a:not(:contains('AAA')):contains('AA')",
            run: "click",
        },
        {
            content: "Save the customer",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The customer now has one service line",
            trigger: "button[name='action_view_service_lines'] .o_stat_value:contains('1')",
        },
    ],
});
