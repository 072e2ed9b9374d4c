from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.base.models.res_partner import _tz_get

SOURCE_GROUP = "field_service_sla.group_fs_alarm_source"


class FsAlarmSource(models.Model):
    """A monitoring system that sends alarms. It signs in as its own
    integration user, whose only group is "Alarm source": with that user's
    API key it can post alarms for itself and do nothing else."""

    _name = "fs.alarm.source"
    _description = "Alarm source"
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    code = fields.Char(
        required=True,
        help="How the source names itself in a request (optional field "
        '"source"): a request naming another source is refused.',
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company
    )
    user_id = fields.Many2one(
        "res.users",
        string="Integration user",
        readonly=True,
        copy=False,
        ondelete="restrict",
        help="The user the source signs in as, with an API key: created with the "
        "source, it belongs to the Alarm source group only.",
    )
    tz = fields.Selection(
        _tz_get,
        string="Time zone",
        help="The zone of times the source sends without an offset. Empty: the "
        "operator's time zone.",
    )
    active = fields.Boolean(default=True)
    alarm_count = fields.Integer(compute="_compute_alarm_count", string="Alarms")
    api_key_count = fields.Integer(compute="_compute_api_key_count", string="API keys")

    _code_company_uniq = models.Constraint(
        "unique(company_id, code)", "An alarm source code is unique per company."
    )
    _user_uniq = models.Constraint(
        "unique(user_id)", "An integration user serves one alarm source."
    )

    def _compute_alarm_count(self):
        counts = dict(
            self.env["fs.alarm"]._read_group(
                [("source_id", "in", self.ids)], ["source_id"], ["__count"]
            )
        )
        for source in self:
            source.alarm_count = counts.get(source, 0)

    def _compute_api_key_count(self):
        keys = self.env["res.users.apikeys"].sudo()
        counts = dict(
            keys._read_group(
                [("user_id", "in", self.user_id.ids)], ["user_id"], ["__count"]
            )
        )
        for source in self:
            source.api_key_count = counts.get(source.user_id.sudo(), 0)

    @api.model_create_multi
    def create(self, vals_list):
        sources = super().create(vals_list)
        for source in sources:
            source.user_id = source._fs_new_integration_user()
        return sources

    def _fs_new_integration_user(self):
        """A user that can do nothing but send this source's alarms: no
        internal, portal or public group, only Alarm source."""
        return (
            self.env["res.users"]
            .sudo()
            .with_context(no_reset_password=True, mail_create_nolog=True)
            .create(
                {
                    "name": self.env._("Alarm source %s", self.name),
                    "login": f"alarm-source-{self.company_id.id}-{self.code}".lower(),
                    "company_id": self.company_id.id,
                    "company_ids": [Command.set(self.company_id.ids)],
                    "group_ids": [Command.set([self.env.ref(SOURCE_GROUP).id])],
                }
            )
        )

    def write(self, vals):
        if "active" in vals:
            self.user_id.sudo().write({"active": vals["active"]})
        return super().write(vals)

    def _fs_zone(self):
        return self.tz or self.company_id._fs_operator_tz()

    def action_new_api_key(self):
        """A new API key for the source's integration user, shown once."""
        self.ensure_one()
        self.check_access("write")
        if not self.active or not self.user_id:
            raise UserError(self.env._("Archived sources get no API key."))
        key = (
            self.env["res.users.apikeys"]
            .with_user(self.user_id)
            .sudo()
            ._generate("rpc", self.env._("Alarms (%s)", self.name), None)
        )
        wizard = self.env["fs.alarm.source.key"].create(
            {"source_id": self.id, "key": key}
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("API key of %s", self.name),
            "res_model": "fs.alarm.source.key",
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_revoke_api_keys(self):
        """Every key of the source stops working at once."""
        self.check_access("write")
        self.env["res.users.apikeys"].sudo().search(
            [("user_id", "in", self.user_id.ids)]
        ).unlink()
        self.env.registry.clear_cache()
        return True

    def action_view_alarms(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "field_service_sla.fs_alarm_action"
        )
        action["domain"] = [("source_id", "=", self.id)]
        action["context"] = {}
        return action
