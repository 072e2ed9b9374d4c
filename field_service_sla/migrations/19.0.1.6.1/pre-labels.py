# fields whose English label changed in 19.0.1.6.1: their old Chinese label
# would stay (an upgrade never overwrites a translation); dropped here, the
# module's zh_CN.po gives the new one when the upgrade loads its terms
RELABELLED = [
    ("fs.sms.gateway.test", "text"),  # "Text": 告警内容, now "SMS text": 短信内容
    ("fs.sms.gateway.test", "segments"),  # "Messages": 消息, now "Segments": 条数
    ("sms.sms", "fs_segments"),
]


def migrate(cr, version):
    for model, name in RELABELLED:
        cr.execute(
            "UPDATE ir_model_fields"
            "   SET field_description = jsonb_build_object("
            "       'en_US', field_description->>'en_US')"
            " WHERE model = %s AND name = %s",
            [model, name],
        )
