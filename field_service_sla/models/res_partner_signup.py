from odoo import models


class ResPartner(models.Model):
    """Every message posted on a customer's ticket (its creation, a note, a
    stage change) asks for the customer's portal link, and auth_signup then
    writes ``signup_type = 'signup'`` on the customer, already 'signup' after
    the first time: an UPDATE of the customer's row (its write date) in
    every such transaction. Two dispatchers creating or working tickets of
    the same customer at once then fail on that row with a serialization
    error (Odoo retries them): measured, most of the conflicts between users
    and the sweeps (tests/benchmarks/README.md, concurrency). Unchanged, the
    row is left alone."""

    _inherit = "res.partner"

    def signup_prepare(self, signup_type="signup"):
        changing = self.filtered(lambda p: p.signup_type != signup_type)
        if changing:
            return super(ResPartner, changing).signup_prepare(signup_type)
        return True
