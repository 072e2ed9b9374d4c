"""What a content builder reads: every (model, field) got from a record
while it runs, recorded by wrapping the fields' __get__."""

from contextlib import contextmanager
from unittest import mock

from odoo import fields


def _getter_classes():
    seen, todo = [], [fields.Field]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if "__get__" in vars(cls):
            seen.append(cls)
    return seen


@contextmanager
def recording_reads():
    """Yield a set that fills with the (model, field name) pairs read."""
    reads = set()
    patches = []
    for cls in _getter_classes():
        original = vars(cls)["__get__"]

        def wrapper(field, record, owner=None, _original=original):
            if record is not None:
                reads.add((field.model_name, field.name))
            return _original(field, record, owner)

        patches.append(mock.patch.object(cls, "__get__", wrapper))
    for patch in patches:
        patch.start()
    try:
        yield reads
    finally:
        for patch in reversed(patches):
            patch.stop()
