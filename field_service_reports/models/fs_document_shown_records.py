from odoo import models


class ResPartner(models.Model):
    """The customer, its contacts and the sites' addresses, as signed
    documents show them."""

    _name = "res.partner"
    _inherit = ["fs.document.shown.mixin", "res.partner"]


class FsServiceLine(models.Model):
    """The line (circuit, bandwidth, level) as signed documents show it."""

    _name = "fs.service.line"
    _inherit = ["fs.document.shown.mixin", "fs.service.line"]


class FsmLocation(models.Model):
    """The site (name, contact) as signed documents show it."""

    _name = "fsm.location"
    _inherit = ["fs.document.shown.mixin", "fsm.location"]
