"""Compiled dumps of dicts the server built itself (the dump half of ``compiled_schema``).

A response the server built itself only needs its declared fields picked
out; marshmallow's general dump spent ~11 us per push result doing that.
Like the loads, a dumper returns exactly what ``schema.dump`` would or
raises ``_Unsure`` so that marshmallow dumps the object instead.
"""
from __future__ import annotations

from typing import Any, Callable

from marshmallow import Schema, fields
from marshmallow.decorators import POST_DUMP, PRE_DUMP
from marshmallow.utils import missing

from .compiled_schema import _UNSURE, Loader, _declined, _exact, _identity, _own


def compile_dump(schema: Schema) -> Callable[[Any], dict]:
    """A dumper for dicts that returns what ``schema.dump`` would, or raises ``_Unsure``."""
    hooks = schema._hooks  # noqa: SLF001
    if hooks[PRE_DUMP] or hooks[POST_DUMP] or schema.many or \
            type(schema).get_attribute is not Schema.get_attribute:
        return _declined
    plan = []
    for name, field in schema.dump_fields.items():
        if field.attribute is not None or "." in name or field.dump_default is not missing:
            return _declined
        # Without the key marshmallow's getter would find dict.items & co: unsure then.
        plan.append((name, field.data_key or name, _dump_field(field), hasattr(dict, name)))

    def dump(obj):
        if type(obj) is not dict:
            raise _UNSURE
        out = {}
        for name, key, convert, shadowed in plan:
            value = obj.get(name, missing)
            if value is not missing:
                out[key] = None if value is None else convert(value)
            elif shadowed:
                raise _UNSURE
        return out
    return dump


def _dump_field(field: fields.Field) -> Loader:
    def plain(base):
        return _own(field, base, "serialize", "_serialize")
    if plain(fields.String):
        return _exact(str)
    if plain(fields.Boolean):
        return _exact(bool)
    if plain(fields.Integer) and not field.as_string:
        return _exact(int)
    if _own(field, fields.Float, "serialize", "_serialize", "_format_num") \
            and not field.as_string:
        return _exact(float)  # floats only: marshmallow turns ints and strings into floats
    if type(field) is fields.Raw:
        return _identity
    if type(field) is fields.Dict and field.key_field is None and field.value_field is None:
        return _plain_dict
    if type(field) is fields.List:
        inner, as_list = _dump_field(field.inner), _exact(list)
        return lambda value: [None if v is None else inner(v) for v in as_list(value)]
    if type(field) is fields.Nested and not field.many:
        return compile_dump(field.schema)
    return _declined  # anything else: marshmallow dumps the whole object


def _plain_dict(value):
    if type(value) is not dict:
        raise _UNSURE
    return dict(value)
