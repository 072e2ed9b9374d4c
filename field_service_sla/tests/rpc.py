"""Calls made as a real user over HTTP, the way the web client sends them.

``with_user()`` on a model skips what the web client's path adds (the
session, the JSON round trip of values, the controller's own checks); a
security test that a careless or dishonest user could break is written with
these instead: log in as the role, send the call to /web/dataset/call_kw and
read the answer, or the error the client would show."""

import json

from odoo.tests import HttpCase


class RpcError(Exception):
    """The error a JSON-RPC call answered, as the web client receives it."""

    def __init__(self, error):
        data = error.get("data") or {}
        self.name = data.get("name") or ""
        self.message = data.get("message") or error.get("message") or ""
        super().__init__(f"{self.name}: {self.message}")


class RpcCase(HttpCase):
    """HttpCase with ``call(login, model, method, *args, **kwargs)``: the
    users are those of ``new_test_user`` (password = login)."""

    def call(self, login, model, method, *args, **kwargs):
        if getattr(self, "_rpc_login", None) != login:
            self.authenticate(login, login)
            self._rpc_login = login
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {
                "model": model,
                "method": method,
                "args": list(args),
                "kwargs": kwargs,
            },
        }
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        )
        body = response.json()
        if "error" in body:
            raise RpcError(body["error"])
        # a method that returns None answers without a "result"
        return body.get("result")

    def assertRpcRefused(self, login, model, method, *args, kinds=None, **kwargs):
        """The call fails with one of ``kinds`` (exception class names:
        AccessError, UserError, ValidationError by default) and returns the
        RpcError for further checks."""
        kinds = kinds or ("AccessError", "UserError", "ValidationError")
        with self.assertRaises(RpcError) as caught:
            self.call(login, model, method, *args, **kwargs)
        self.assertTrue(
            caught.exception.name.endswith(tuple(kinds)),
            f"{model}.{method} as {login} failed with {caught.exception}, "
            f"not one of {kinds}",
        )
        return caught.exception
