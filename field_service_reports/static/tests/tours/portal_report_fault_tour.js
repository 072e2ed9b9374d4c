import { registry } from "@web/core/registry";

/*
 * A customer's portal user on a phone (390 px, Chinese) reports a fault on
 * one of their company's service lines and reads the ticket's SLA status and
 * milestones, then finds it in their ticket list, nothing wider than the
 * screen.
 */
function fitsTheScreen(selector) {
    const element = document.querySelector(selector);
    const page = document.documentElement;
    if (page.scrollWidth > window.innerWidth) {
        throw new Error(`The page is ${page.scrollWidth} px wide on a ${window.innerWidth} px screen`);
    }
    if (element && element.scrollWidth > element.clientWidth) {
        throw new Error(`${selector} scrolls sideways: ${element.scrollWidth} px in ${element.clientWidth} px`);
    }
}

registry.category("web_tour.tours").add("field_service_reports_portal_fault_tour", {
    steps: () => [
        {
            content: "On a phone the ticket list's search bar is folded: open it",
            trigger: ".o_portal_navbar .navbar-toggler",
            run: "click",
        },
        {
            content: "Report a new fault",
            trigger: "#o_portal_navbar_content.show button[name='create_new_ticket']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The form offers the company's lines: choose the one that is down",
            trigger: "select[name='fs_service_line']:has(option:contains('A-VPN-2'))",
            run: "selectByLabel A-IDL-1",
        },
        {
            trigger: "input[name='subject']",
            run: "edit 光缆中断，专线无法上网",
        },
        {
            trigger: "textarea[name='description']",
            run: "edit 九点起无流量",
        },
        {
            content: "Submit",
            trigger: "form[action='/submitted/ticket'] button[type='submit']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The ticket names its line",
            trigger: ".o_fs_portal_service_line:contains('A-IDL-1 互联网专线')",
        },
        {
            content: "Its SLA clocks run from the report, as for a dispatcher's ticket",
            trigger: ".o_fs_portal_sla_status .o_fs_portal_sla_state:contains('计时中')",
        },
        {
            content: "The first-contact milestone is listed, with its deadline",
            trigger:
                "#fs_portal_ticket_sla .o_fs_portal_milestone[data-kind='contact']:contains('首次联系'):contains('截止时间')",
        },
        {
            content: "The milestones fit a phone screen",
            trigger: "#fs_portal_ticket_sla",
            run: () => fitsTheScreen("#fs_portal_ticket_sla"),
        },
        {
            content: "Back to the ticket list",
            trigger: ".o_portal_submenu a[href^='/my/tickets']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The new ticket is listed with its SLA status",
            trigger:
                "tr:has(a:contains('光缆中断')) .o_fs_portal_ticket_sla .o_fs_portal_sla_state:contains('计时中')",
        },
        {
            content: "The list fits a phone screen",
            trigger: ".o_portal_my_doc_table",
            run: () => fitsTheScreen(".table-responsive"),
        },
    ],
});
