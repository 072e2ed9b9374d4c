import { registry } from "@web/core/registry";

/*
 * A technician on a phone hands it to the customer: the confirmation of the
 * work opens with the customer's contact and name, the customer signs with
 * Odoo's signature widget, and the confirmation is signed and frozen. The
 * customer's tier asks for the code texted to the contact's mobile: the
 * technician texts it, the customer types it in before signing.
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
            content: "Text the code to the customer's mobile",
            trigger: ".modal button[name='action_send_code']",
            run: "click",
        },
        {
            content: "The form says where the code went",
            trigger: ".modal .o_field_widget[name='code_sent_to']:contains(138****1111)",
        },
        {
            content: "The customer types the code from the SMS",
            trigger: ".modal .o_field_widget[name='code'] input",
            run: "edit 246810",
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
