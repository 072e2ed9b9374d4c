from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk


class FsCustomerPortalHelpdesk(CustomerPortalHelpdesk):
    """helpdesk_mgmt's ticket list, sorted by the next SLA deadline and
    grouped by service line on request. Who sees which ticket is the record
    rules' business (security/portal_rules.xml)."""

    def _ticket_get_searchbar_sortings(self):
        sortings = super()._ticket_get_searchbar_sortings()
        sortings["sla_deadline"] = {
            "label": request.env._("Next SLA deadline"),
            "order": "sla_deadline asc, create_date desc",
            "sequence": 5,
        }
        return sortings

    def _ticket_get_searchbar_groupby(self):
        groupby = super()._ticket_get_searchbar_groupby()
        groupby["service_line"] = {
            "input": "service_line",
            "label": request.env._("Service line"),
            "order": 4,
        }
        return groupby

    def _ticket_get_groupby_mapping(self):
        return {
            **super()._ticket_get_groupby_mapping(),
            "service_line": "service_line_id",
        }
