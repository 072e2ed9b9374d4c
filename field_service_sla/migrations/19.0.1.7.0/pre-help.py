# fields whose English help changed in 19.0.1.7.0: their old Chinese help
# would stay (an upgrade never overwrites a translation); dropped here, the
# module's zh_CN.po gives the new one when the upgrade loads its terms
REWORDED = [
    # "the system reason used while a ticket is closed", now "the system
    # reasons (a closed ticket, planned work)"
    ("fs.sla.pause.reason", "stops_all_clocks"),
]


def migrate(cr, version):
    for model, name in REWORDED:
        cr.execute(
            "UPDATE ir_model_fields"
            "   SET help = jsonb_build_object('en_US', help->>'en_US')"
            " WHERE model = %s AND name = %s AND help IS NOT NULL",
            [model, name],
        )
