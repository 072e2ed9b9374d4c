import { registry } from "@web/core/registry";

const CELLS = ".o_field_widget[name='milestone_ids'] .o_data_row td.o_data_cell";

/*
 * An SLA administrator reads a policy's milestones at 1440 px: a milestone
 * without a calendar says it runs around the clock, and no milestone or
 * calendar name is cut.
 */
registry.category("web_tour.tours").add("field_service_sla_policy_form_tour", {
    steps: () => [
        {
            content: "An empty calendar reads 'around the clock'",
            trigger: `${CELLS}[name='calendar_id'] .o_fs_sla_placeholder:contains('Around the clock')`,
        },
        {
            content: "A set calendar shows its name",
            trigger: `${CELLS}[name='calendar_id']:contains('Office hours (monitoring hall)')`,
        },
        {
            content: "Milestone and calendar names fit their columns",
            trigger: `${CELLS}[name='kind']:contains('Fault report submitted')`,
            run() {
                const cells = document.querySelectorAll(
                    `${CELLS}[name='kind'], ${CELLS}[name='calendar_id'], ${CELLS}[name='start_event']`
                );
                for (const cell of cells) {
                    if (cell.scrollWidth > cell.clientWidth + 1) {
                        throw new Error(`Cut: "${cell.textContent.trim()}"`);
                    }
                }
            },
        },
    ],
});
