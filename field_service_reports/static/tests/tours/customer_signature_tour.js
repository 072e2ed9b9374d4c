import { registry } from "@web/core/registry";

/*
 * A technician on a phone hands it to the customer: the confirmation of the
 * work opens with the customer's contact and name, the customer signs with
 * Odoo's signature widget, and the confirmation is signed and frozen.
 */
registry.category("web_tour.tours").add("field_service_reports_customer_signature_tour", {
    steps: () => [
        {
            content: "The customer confirms the work: the button is at the top of the order",
            trigger: ".o_form_view button[name='action_fs_sign_confirmation']",
            run: "click",
        },
        {
            content: "The signer's name is the customer's contact",
            trigger: ".modal .o_field_widget[name='signer_name'] input:value(Wang Fang)",
        },
        {
            content: "The customer signs in the signature box",
            trigger: ".modal .o_field_widget[name='signature'] .o_signature",
            run: "click",
        },
        {
            content: "Adopt the signature",
            trigger: ".modal .modal-footer button.btn-primary:enabled:contains(Adopt)",
            run: "click",
        },
        {
            content: "The signature is in the form",
            trigger: ".modal .o_field_widget[name='signature'] img.o_signature",
        },
        {
            content: "Sign",
            trigger: ".modal button[name='action_sign']",
            run: "click",
        },
        {
            content: "The confirmation is signed",
            trigger: ".o_form_view .ribbon:contains(Signed)",
        },
        {
            content: "by the customer, on the technician's device",
            trigger: ".o_form_view .o_field_widget[name='signed_by']:contains(Wang Fang)",
        },
    ],
});
