from odoo import SUPERUSER_ID, api

# the dispatchers' order rule (noupdate) as installed before the dispatch
# queue, and as the queue needs it: queued orders wait on fieldservice's
# default team, which may list other dispatchers
OLD = (
    "else ['|', '|', '|', '|', ('team_id', '=', False), "
    "('team_id.dispatcher_ids', '=', False), "
    "('team_id.dispatcher_ids', 'in', [user.id]), "
    "('person_id.partner_id', '=', user.partner_id.id), "
    "('person_ids.partner_id', '=', user.partner_id.id)]"
)
NEW = (
    "else ['|', '|', '|', '|', '|', ('team_id', '=', False), "
    "('team_id.dispatcher_ids', '=', False), "
    "('team_id.dispatcher_ids', 'in', [user.id]), "
    "('person_id.partner_id', '=', user.partner_id.id), "
    "('person_ids.partner_id', '=', user.partner_id.id), "
    "('fs_dispatch_mode', '=', 'queue')]"
)


def migrate(cr, version):
    """Every dispatcher sees the dispatch queue, unless an administrator
    rewrote the rule."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    rule = env.ref(
        "field_service_sla.fsm_order_dispatcher_team_rule", raise_if_not_found=False
    )
    if rule and rule.domain_force.endswith(OLD):
        rule.domain_force = rule.domain_force.removesuffix(OLD) + NEW
