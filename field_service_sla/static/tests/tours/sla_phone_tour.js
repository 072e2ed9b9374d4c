import { registry } from "@web/core/registry";

/*
 * A technician on a phone (390 px): the ticket's SLA state, its next
 * milestone and the SLA actions come first on the sheet, above the fields;
 * after pausing, the banner says so at once; the milestones read as cards
 * that fit the screen.
 */
const BANNER = ".o_fs_sla_banner";
registry.category("web_tour.tours").add("field_service_sla_phone_tour", {
    steps: () => [
        {
            content: "The banner comes before the ticket's title and fields",
            trigger: `.o_form_sheet ${BANNER} + .oe_title`,
        },
        {
            content: "It names the next milestone and the time left",
            trigger: `${BANNER} .o_field_widget[name='sla_summary']:contains('First contact'):contains('left')`,
        },
        {
            content: "Record the first contact from the banner",
            trigger: `${BANNER} button[name='action_sla_contacted']`,
            run: "click",
        },
        {
            content: "The banner moves on to the next milestone",
            trigger: `${BANNER}:not(:has(button[name='action_sla_contacted'])) .o_field_widget[name='sla_summary']:not(:contains('First contact'))`,
        },
        {
            content: "Pause from the banner, not from an overflow menu",
            trigger: `${BANNER} button[name='action_sla_pause']`,
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
            content: "The banner says paused, and why, and offers Resume only",
            trigger: `${BANNER}:not(:has(button[name='action_sla_pause'])) [name='sla_pause']:contains('Waiting for customer')`,
        },
        {
            trigger: `${BANNER} button[name='action_sla_resume']`,
        },
        {
            content: "Open the Service level tab",
            trigger: ".o_notebook a[name='sla']",
            run: "click",
        },
        {
            content: "Milestones are cards on a phone, the restore one paused",
            trigger:
                ".o_field_widget[name='sla_clock_ids'] .o_kanban_record:contains('Service restored'):contains('Paused')",
        },
        {
            content: "No milestone card is wider than the screen",
            trigger: ".o_field_widget[name='sla_clock_ids'] .o_kanban_record",
            run() {
                const cards = document.querySelectorAll(
                    ".o_field_widget[name='sla_clock_ids'] .o_kanban_record"
                );
                for (const card of cards) {
                    if (card.getBoundingClientRect().right > window.innerWidth + 1) {
                        throw new Error(`A milestone card overflows: ${card.textContent}`);
                    }
                }
            },
        },
    ],
});

/*
 * At 1440 px with the chatter beside the form, every shown column of the
 * milestone list (paused time included) is within the form, not off-screen.
 */
registry.category("web_tour.tours").add("field_service_sla_milestones_1440_tour", {
    steps: () => [
        {
            content: "Open the Service level tab",
            trigger: ".o_notebook a[name='sla']",
            run: "click",
        },
        {
            content: "The paused-time column is visible without scrolling sideways",
            trigger: ".o-mail-Form-chatter, .o-mail-ChatterContainer",
        },
        {
            trigger: ".o_field_widget[name='sla_clock_ids'] th[data-name='paused_hours']",
            run() {
                const list = document.querySelector(
                    ".o_field_widget[name='sla_clock_ids'] .o_list_renderer"
                );
                const column = document.querySelector(
                    ".o_field_widget[name='sla_clock_ids'] th[data-name='paused_hours']"
                );
                const right = list.getBoundingClientRect().right;
                if (column.getBoundingClientRect().right > right + 1) {
                    throw new Error("The paused-time column is cut off at 1440 px");
                }
            },
        },
    ],
});
