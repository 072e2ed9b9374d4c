def uninstall_hook(env):
    """The escalation engine's own tables (fs.escalation.engine.init) are no
    model's: Odoo would leave them behind."""
    env.cr.execute("DROP TABLE IF EXISTS fs_escalation_check, fs_escalation_mark")
