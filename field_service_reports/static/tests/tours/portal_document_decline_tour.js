import { registry } from "@web/core/registry";

/*
 * Whoever holds a diamond customer's link (not logged in, on a phone, in
 * Chinese) declines the confirmation: the reason, then the code texted to
 * the addressee's mobile to decline, typed; the page then says it is
 * declined.
 */
registry.category("web_tour.tours").add("field_service_reports_portal_decline_tour", {
    steps: () => [
        {
            content: "Decline",
            trigger: ".o_fs_portal_document_actions .o_fs_portal_decline",
            run: "click",
        },
        {
            content: "Say why",
            trigger: "#fs_modal_decline.show #fs_decline_reason",
            run: "edit 业务仍有丢包",
        },
        {
            content: "A reason alone does not decline: the code is asked for",
            trigger: "#fs_modal_decline.show .o_fs_portal_decline_submit:disabled",
        },
        {
            content: "Ask for the code, texted to the addressee's mobile",
            trigger:
                "#fs_modal_decline.show .o_fs_portal_code:contains('138****1111') .o_fs_portal_send_code",
            run: "click",
        },
        {
            content: "Type the code from the SMS",
            trigger: "#fs_modal_decline.show #fs_decline_code",
            run: "edit 135790",
        },
        {
            content: "Decline the document",
            trigger: "#fs_modal_decline.show .o_fs_portal_decline_submit:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The page says it is declined",
            trigger: ".o_fs_portal_declined_message",
        },
    ],
});
