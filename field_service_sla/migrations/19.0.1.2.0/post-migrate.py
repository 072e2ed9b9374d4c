from odoo.tools import SQL

# Indexes no search reads and every new ticket or clock wrote (see the
# comments by the fields): Odoo keeps an index whose field lost its
# ``index``, so they go here.
OBSOLETE_INDEXES = [
    "helpdesk_ticket__sla_state_index",
    "helpdesk_ticket__sla_policy_id_index",
    "helpdesk_ticket__customer_tier_id_index",
    "helpdesk_ticket__assurance_level_id_index",
    "helpdesk_ticket__severity_index",
    "helpdesk_ticket__severity_excluded_index",
    "helpdesk_ticket__escalation_level_index",
    "fs_sla_clock__company_id_index",
]


def migrate(cr, version):
    for name in OBSOLETE_INDEXES:
        cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(name)))
    # clocks no longer log who and when (fs.sla.clock._log_access): their
    # columns and foreign keys go, so that inserting a clock checks none
    for column in ("create_uid", "create_date", "write_uid", "write_date"):
        cr.execute(
            SQL(
                "ALTER TABLE fs_sla_clock DROP COLUMN IF EXISTS %s",
                SQL.identifier(column),
            )
        )
