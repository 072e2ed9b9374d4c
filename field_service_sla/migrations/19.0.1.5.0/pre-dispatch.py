def migrate(cr, version):
    """Automatic dispatch: the tickets that exist before it are not new
    faults. Their "awaiting dispatch" column is made here, empty, so that
    the upgrade does not compute it for them (the dispatch job would then
    make orders for every open fault of the past)."""
    cr.execute(
        "ALTER TABLE helpdesk_ticket "
        "ADD COLUMN IF NOT EXISTS fs_dispatch_pending boolean"
    )
