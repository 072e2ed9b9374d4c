import { registry } from "@web/core/registry";

/*
 * A customer's portal user on a phone (390 px, Chinese) finds the
 * confirmation waiting for a signature from the portal home, reads it, sees
 * that declining would ask for the reason and the code, draws
 * a signature on the signature pad, asks for the code texted to the contact's
 * mobile, types it and signs; the page then says it is signed, with the
 * signature in the audit trail.
 */
function fitsTheScreen() {
    const page = document.documentElement;
    if (page.scrollWidth > window.innerWidth) {
        throw new Error(`The page is ${page.scrollWidth} px wide on a ${window.innerWidth} px screen`);
    }
}

/** A stroke on the signature pad, as a finger or a mouse draws it. */
async function drawSignature(canvas) {
    const box = canvas.getBoundingClientRect();
    const at = (x, y, buttons = 1) => ({
        bubbles: true,
        cancelable: true,
        pointerId: 1,
        pointerType: "mouse",
        isPrimary: true,
        buttons,
        pressure: buttons ? 0.5 : 0,
        clientX: box.left + x * box.width,
        clientY: box.top + y * box.height,
    });
    canvas.dispatchEvent(new PointerEvent("pointerdown", at(0.1, 0.6)));
    for (const [x, y] of [[0.25, 0.2], [0.4, 0.7], [0.55, 0.25], [0.7, 0.65], [0.85, 0.3]]) {
        await new Promise((resolve) => setTimeout(resolve, 30));
        canvas.dispatchEvent(new PointerEvent("pointermove", at(x, y)));
    }
    canvas.dispatchEvent(new PointerEvent("pointerup", at(0.85, 0.3, 0)));
}

registry.category("web_tour.tours").add("field_service_reports_portal_signature_tour", {
    steps: () => [
        {
            content: "The portal home counts the documents waiting for a signature",
            trigger:
                ".o_portal_index_card:not(.d-none) a[href*='filterby=to_sign']:has([data-placeholder_count='fs_document_to_sign_count']:contains(1))",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Open the confirmation to sign",
            trigger: "tr.o_fs_portal_document_row a:contains('CONF/')",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The document is shown in the page, which fits the phone",
            trigger: ".o_fs_portal_document_frame",
            run: () => fitsTheScreen(),
        },
        {
            content: "Decline would ask why, in Chinese",
            trigger: ".o_fs_portal_document_actions .o_fs_portal_decline",
            run: "click",
        },
        {
            content: "The reason is required before declining",
            trigger:
                "#fs_modal_decline.show .o_fs_portal_decline_form:contains('您为什么拒签') .o_fs_portal_decline_submit:disabled",
        },
        {
            content: "Declining asks for the code texted to the contact's mobile, as signing does",
            trigger:
                "#fs_modal_decline.show .o_fs_portal_code:contains('为确认是您本人拒签'):contains('138****1111') .o_fs_portal_send_code",
        },
        {
            content: "The customer does not decline: back to the page",
            trigger: "#fs_modal_decline.show",
            run: () => window.location.reload(),
            expectUnloadPage: true,
        },
        {
            content: "Sign",
            trigger: ".o_fs_portal_document_actions .o_fs_portal_sign",
            run: "click",
        },
        {
            content: "The name is the customer's",
            trigger: "#fs_modal_sign.show .o_web_sign_name_input:value(王芳)",
        },
        {
            content: "Odoo's signature pad speaks Chinese too: draw",
            trigger: "#fs_modal_sign.show .o_web_sign_draw_button.active:contains('手写')",
        },
        {
            content: "Draw the signature on the pad",
            trigger: "#fs_modal_sign.show canvas.o_web_sign_signature",
            run: async function () {
                await drawSignature(this.anchor);
            },
        },
        {
            content: "The code goes to the contact's mobile: ask for it",
            trigger: "#fs_modal_sign.show .o_fs_portal_code:contains('138****1111') .o_fs_portal_send_code",
            run: "click",
        },
        {
            content: "Type the code from the SMS",
            trigger: "#fs_modal_sign.show .o_fs_portal_code_input",
            run: "edit 246810",
        },
        {
            content: "Sign the document",
            trigger: "#fs_modal_sign.show .o_portal_sign_submit:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The page thanks the customer",
            trigger: ".o_fs_portal_signed_message",
        },
        {
            content: "The document is signed",
            trigger: ".o_fs_portal_document .o_fs_portal_document_state:contains('已签字')",
        },
        {
            content: "The signature is in the audit trail, with the address it came from",
            trigger: "#fs_portal_document_audit .o_fs_portal_event[data-event='signed']:contains('127.0.0.1')",
        },
        {
            content: "and the page still fits the phone",
            trigger: "#fs_portal_document_audit",
            run: () => fitsTheScreen(),
        },
    ],
});
