def uninstall_hook(env):
    """The escalation engine's own table (fs.escalation.engine.init) is no
    model's: Odoo would leave it behind."""
    env.cr.execute("DROP TABLE IF EXISTS fs_escalation_check")
