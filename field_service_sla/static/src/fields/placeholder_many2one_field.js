import { registry } from "@web/core/registry";
import {
    buildM2OFieldDescription,
    Many2OneField,
} from "@web/views/fields/many2one/many2one_field";

/*
 * A many2one whose emptiness means something (no calendar = around the
 * clock): read-only cells show the placeholder instead of nothing.
 */
export class PlaceholderMany2OneField extends Many2OneField {
    static template = "field_service_sla.PlaceholderMany2OneField";
}

registry.category("fields").add("many2one_placeholder", {
    ...buildM2OFieldDescription(PlaceholderMany2OneField),
});
