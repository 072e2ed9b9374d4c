import secrets

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..sla_core.sms_http import template_problems

PROTOCOLS = [("smpp", "SMPP (SMS centre)"), ("http", "HTTP (SMS platform)")]

#: the write-only fields and the column each is kept in: never an ORM field,
#: so no read, export, copy or log shows them; only the transport reads them
SECRETS = {
    "smpp_password": "smpp_password_secret",
    "http_auth_value": "http_auth_value_secret",
}

#: the settings a connection is made of (host, port, credentials, URL...)
CONNECTION = ("smpp_", "http_")


class FsSmsGateway(models.Model):
    """The operator's own way out for SMS: its SMS centre over SMPP, or an
    enterprise SMS platform over HTTP. The gateway *in use* of a company
    replaces Odoo's IAP for every SMS of that company (res.company's
    ``_get_sms_api_class``); without one, Odoo's IAP sends as before."""

    _name = "fs.sms.gateway"
    _description = "SMS gateway"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "in_use desc, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company
    )
    in_use = fields.Boolean(
        string="In use",
        copy=False,
        tracking=True,
        help="The company's SMS leave through this gateway; when none is in "
        "use, through Odoo's IAP.",
    )
    protocol = fields.Selection(PROTOCOLS, required=True, default="smpp", tracking=True)

    # -- SMPP -------------------------------------------------------------
    smpp_host = fields.Char(string="Host", tracking=True)
    smpp_port = fields.Integer(string="Port", default=2775, tracking=True)
    smpp_system_id = fields.Char(string="System ID", tracking=True)
    smpp_password = fields.Char(
        string="Password",
        compute="_compute_secrets",
        inverse="_inverse_smpp_password",
        copy=False,
        help="Write-only: kept out of reach of every read; type a new one to "
        "change it.",
    )
    smpp_system_type = fields.Char(string="System type")
    smpp_source_addr = fields.Char(
        string="Source address",
        help="The number or name the messages come from, e.g. 106550123456.",
    )
    smpp_bind = fields.Selection(
        [("transceiver", "Transceiver"), ("transmitter", "Transmitter")],
        string="Bind as",
        default="transceiver",
        help="Transceiver: one connection sends and receives the delivery "
        "receipts. Transmitter: sends only; the receipts are read by a "
        "separate receiver bind.",
    )
    smpp_tls = fields.Boolean(string="TLS", tracking=True)
    smpp_tls_verify = fields.Boolean(
        string="Verify the certificate",
        default=True,
        help="Off only for an SMS centre with a self-signed certificate on "
        "the operator's own network.",
    )

    # -- HTTP -------------------------------------------------------------
    http_url = fields.Char(string="URL", tracking=True)
    http_method = fields.Selection(
        [("POST", "POST"), ("GET", "GET")], string="Method", default="POST"
    )
    http_content_type = fields.Selection(
        [("json", "JSON"), ("form", "Form (URL-encoded)")],
        string="Body format",
        default="json",
    )
    http_auth_header = fields.Char(
        string="Authentication header", default="Authorization"
    )
    http_auth_value = fields.Char(
        string="Header value",
        compute="_compute_secrets",
        inverse="_inverse_http_auth_value",
        copy=False,
        help="Write-only, e.g. Bearer <token>: type a new one to change it.",
    )
    http_sender = fields.Char(string="Sender")
    http_body_template = fields.Text(
        string="Body template",
        default='{"to": "{number}", "text": "{text}", "ref": "{ref}"}',
        help="The request's body: {number}, {text}, {sender} and {ref} (the "
        "SMS's own reference) are filled in, escaped for the body format.",
    )
    http_id_path = fields.Char(
        string="Message id at",
        default="data.msgid",
        help="Where the answer gives the message id: a dotted path in its JSON.",
    )
    http_status_path = fields.Char(
        string="Status at",
        default="code",
        help="Where the answer gives the status: a dotted path in its JSON. "
        "Empty: any 2xx answer is a success.",
    )
    http_success_values = fields.Char(string="Success statuses", default="0,OK,success")
    http_permanent_values = fields.Char(
        string="Bad-number statuses",
        help="Statuses that mean this number or text will never pass: such "
        "an SMS fails at once instead of being retried.",
    )
    http_down_values = fields.Char(
        string="Outage statuses",
        help="Statuses that mean the platform cannot send at all (bad "
        "credentials, no balance), though it answers HTTP 200: the SMS wait "
        "and are retried, as for a gateway that is down.",
    )
    http_receipt_id_path = fields.Char(string="Receipt: message id at", default="msgid")
    http_receipt_status_path = fields.Char(
        string="Receipt: status at", default="status"
    )
    http_delivered_values = fields.Char(
        string="Delivered statuses", default="DELIVRD,delivered,0"
    )
    http_failed_values = fields.Char(
        string="Failed statuses", default="UNDELIV,REJECTD,EXPIRED,failed"
    )
    receipt_token = fields.Char(
        copy=False,
        groups="field_service_sla.group_fs_sla_admin,base.group_system",
        default=lambda s: secrets.token_urlsafe(24),
        help="The secret part of the delivery-report address.",
    )
    receipt_url = fields.Char(
        string="Delivery-report address",
        compute="_compute_receipt_url",
        groups="field_service_sla.group_fs_sla_admin,base.group_system",
        help="Give this address to the SMS platform for its delivery reports.",
    )

    # -- pace and retries -------------------------------------------------
    rate = fields.Integer(
        string="Messages per second",
        default=50,
        help="The gateway's throughput limit: messages (each part of a long "
        "one counts) are queued to stay under it.",
    )
    retry_minutes = fields.Integer(
        string="Retry for (minutes)",
        default=120,
        help="How long an SMS is retried while the gateway is down before it "
        "is marked failed.",
    )
    batch_size = fields.Integer(default=100, help="SMS sent per transaction.")

    # -- health -----------------------------------------------------------
    outage_since = fields.Datetime(readonly=True, copy=False)
    retry_at = fields.Datetime(string="Next attempt", readonly=True, copy=False)
    attempts = fields.Integer(readonly=True, copy=False)
    last_error = fields.Char(readonly=True, copy=False)
    outage_reported = fields.Boolean(readonly=True, copy=False)
    last_success_at = fields.Datetime(readonly=True, copy=False)
    outage_text = fields.Char(compute="_compute_outage_text", string="Outage")
    password_set = fields.Boolean(compute="_compute_secrets", string="A secret is set")

    _one_in_use = models.UniqueIndex(
        "(company_id) WHERE in_use AND active",
        "A company sends its SMS through one gateway at a time.",
    )

    # ------------------------------------------------------------------
    def init(self):
        super().init()
        for column in SECRETS.values():
            self.env.cr.execute(
                SQL(
                    "ALTER TABLE fs_sms_gateway ADD COLUMN IF NOT EXISTS %s varchar",
                    SQL.identifier(column),
                )
            )

    @api.depends("protocol")
    def _compute_secrets(self):
        stored = self._fs_secrets() if self.ids else {}
        for gateway in self:
            gateway.smpp_password = False
            gateway.http_auth_value = False
            values = stored.get(gateway.id, {})
            gateway.password_set = bool(
                values.get(
                    "smpp_password" if gateway.protocol == "smpp" else "http_auth_value"
                )
            )

    def _inverse_smpp_password(self):
        self._fs_set_secret("smpp_password")

    def _inverse_http_auth_value(self):
        self._fs_set_secret("http_auth_value")

    def _fs_set_secret(self, name):
        """An empty value keeps the secret: the form sends the field empty
        when nobody typed a new one."""
        for gateway in self:
            value = gateway[name]
            if not value:
                continue
            if name == "smpp_password":
                gateway._fs_check_smpp_value("password", value)
            self.env.cr.execute(
                SQL(
                    "UPDATE fs_sms_gateway SET %s = %s WHERE id = %s",
                    SQL.identifier(SECRETS[name]),
                    value,
                    gateway.id,
                )
            )
        self.invalidate_recordset(["password_set"])

    def _fs_secrets(self):
        """{gateway id: {field: secret}}: for the transport only."""
        rows = self.env.execute_query(
            SQL(
                "SELECT id, %s FROM fs_sms_gateway WHERE id = ANY(%s)",
                SQL(", ").join(SQL.identifier(c) for c in SECRETS.values()),
                [i for i in self.ids if isinstance(i, int)],
            )
        )
        return {row[0]: dict(zip(SECRETS, row[1:], strict=True)) for row in rows}

    @api.depends("outage_since", "last_error", "retry_at", "attempts")
    def _compute_outage_text(self):
        for gateway in self:
            gateway.outage_text = gateway.outage_since and self.env._(
                "Down since %(since)s: %(reason)s. Next attempt at %(at)s "
                "(attempt %(attempt)s).",
                since=fields.Datetime.context_timestamp(
                    gateway, gateway.outage_since
                ).strftime("%Y-%m-%d %H:%M"),
                reason=gateway.last_error or "",
                at=gateway.retry_at
                and fields.Datetime.context_timestamp(
                    gateway, gateway.retry_at
                ).strftime("%H:%M:%S")
                or "-",
                attempt=gateway.attempts + 1,
            )

    def _compute_receipt_url(self):
        base = self.get_base_url()
        for gateway in self:
            gateway.receipt_url = (
                f"{base}/fs/sms/receipt/{gateway.id}/{gateway.receipt_token}"
                if gateway.id and gateway.protocol == "http"
                else False
            )

    # ------------------------------------------------------------------
    @api.constrains("rate", "retry_minutes", "batch_size", "smpp_port")
    def _check_numbers(self):
        for gateway in self:
            if gateway.rate < 1:
                raise ValidationError(
                    self.env._(
                        "Messages per second: at least 1. Give the limit the SMS "
                        "centre or platform allows (its contract states it); "
                        "without one, a storm's SMS would be refused."
                    )
                )
            if gateway.retry_minutes < 0:
                raise ValidationError(self.env._("A retry time cannot be negative."))
            if not 1 <= gateway.batch_size <= 1000:
                raise ValidationError(
                    self.env._("SMS per transaction: between 1 and 1,000.")
                )
            if gateway.protocol == "smpp" and not 0 < gateway.smpp_port < 65536:
                raise ValidationError(self.env._("A port is a number from 1 to 65535."))

    @api.constrains("protocol", "smpp_host", "smpp_system_id", "http_url")
    def _check_required(self):
        for gateway in self:
            if gateway.protocol == "smpp" and not (
                gateway.smpp_host and gateway.smpp_system_id
            ):
                raise ValidationError(
                    self.env._(
                        "An SMPP gateway needs the SMS centre's host and a system ID."
                    )
                )
            if gateway.protocol == "http" and not (gateway.http_url or "").startswith(
                ("http://", "https://")
            ):
                raise ValidationError(
                    self.env._(
                        "An HTTP gateway needs a URL starting with http:// or https://."
                    )
                )

    @api.constrains(
        "protocol", "smpp_system_id", "smpp_system_type", "smpp_source_addr"
    )
    def _check_smpp_settings(self):
        for gateway in self.filtered(lambda g: g.protocol == "smpp"):
            gateway._fs_check_smpp_value("system_id", gateway.smpp_system_id)
            gateway._fs_check_smpp_value("system_type", gateway.smpp_system_type)
            gateway._fs_check_smpp_value("source_addr", gateway.smpp_source_addr)

    def _fs_check_smpp_value(self, name, value):
        """SMPP 3.4 carries these as short ASCII strings."""
        from ..gateways.smpp import LIMITS

        if value and (not value.isascii() or len(value) > LIMITS[name]):
            raise ValidationError(
                self.env._(
                    "SMPP allows at most %(limit)s ASCII characters for the "
                    "%(setting)s.",
                    limit=LIMITS[name],
                    setting=self._fields[f"smpp_{name}"].get_description(self.env)[
                        "string"
                    ],
                )
            )

    @api.constrains("protocol", "http_body_template", "http_content_type")
    def _check_template(self):
        for gateway in self.filtered(lambda g: g.protocol == "http"):
            problems = template_problems(
                gateway.http_body_template or "", gateway.http_content_type
            )
            if problems:
                raise ValidationError(
                    self.env._(
                        "The body template cannot be used (%(problems)s). It must "
                        "name {number} and {text}, may name {sender} and {ref}, and "
                        "nothing else in braces; in JSON each inside a string, e.g. "
                        '{"mobile": "{number}", "content": "{text}"}.',
                        problems="; ".join(
                            f"{code}: {detail}" if detail else code
                            for code, detail in problems
                        ),
                    )
                )

    # ------------------------------------------------------------------
    def action_use(self):
        """Send the company's SMS through this gateway from now on."""
        self.ensure_one()
        self.check_access("write")
        if not self.active:
            raise UserError(self.env._("An archived gateway cannot be used."))
        others = self.search(
            [
                ("company_id", "=", self.company_id.id),
                ("in_use", "=", True),
                ("id", "!=", self.id),
            ]
        )
        others.in_use = False
        self.in_use = True

    def action_stop_using(self):
        """Back to Odoo's IAP for this company."""
        self.check_access("write")
        self.in_use = False

    def action_test(self):
        self.ensure_one()
        self.check_access("write")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Test the gateway"),
            "res_model": "fs.sms.gateway.test",
            "view_mode": "form",
            "target": "new",
            "context": {"default_gateway_id": self.id},
        }

    def _fs_list(self, name):
        """A comma-separated field as a tuple of values."""
        return tuple(v.strip() for v in (self[name] or "").split(",") if v.strip())

    def write(self, vals):
        if vals.get("active") is False:
            vals = dict(vals, in_use=False)
        moved = self._fs_secrets_moved(vals)
        result = super().write(vals)
        # a secret goes where it was typed for: pointing the gateway elsewhere
        # without typing it again forgets it, so that nobody can send it to a
        # host of his own with a Test
        for gateway, names in moved:
            gateway._fs_forget_secrets(names)
        # settings changed during an outage (a port corrected, a password
        # typed again): the next batch tries them at once, not at the end of
        # the backoff
        if any(name == "protocol" or name.startswith(CONNECTION) for name in vals):
            self.filtered("retry_at")._fs_try_again()
        return result

    def _fs_secrets_moved(self, vals):
        """(gateway, secrets) that ``vals`` would send to another place."""
        places = {
            "smpp_password": ("smpp_host", "smpp_port", "smpp_tls", "smpp_tls_verify"),
            "http_auth_value": ("http_url", "http_auth_header"),
        }
        moved = []
        for gateway in self:
            names = [
                name
                for name, where in places.items()
                if not vals.get(name)
                and any(
                    field in vals
                    and vals[field]
                    != gateway._fields[field].convert_to_write(gateway[field], gateway)
                    for field in where
                )
            ]
            if names:
                moved.append((gateway, names))
        return moved

    def _fs_forget_secrets(self, names):
        self.env.cr.execute(
            SQL(
                "UPDATE fs_sms_gateway SET %s WHERE id = %s",
                SQL(", ").join(
                    SQL("%s = NULL", SQL.identifier(SECRETS[name])) for name in names
                ),
                self.id,
            )
        )
        self.invalidate_recordset(["password_set"])
        self.message_post(
            body=self.env._(
                "The gateway now points elsewhere: its password or header value "
                "was forgotten. Type it again."
            )
        )
