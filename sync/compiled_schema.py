"""Marshmallow loads (and simple dumps), compiled once into plain Python for sync.

A push of 100 results went through marshmallow's general machinery about
3,000 times (envelope, mutation, args, answers keys, GPS...), ~35 % of the
server's CPU for a push. Toasted Marshmallow (lyft) showed the cure for
dumps: compile the schema once into straight-line code. This does the same
for loads, and for dumps of dicts the server built itself, conservatively:

* A ``CompiledSchema`` keeps marshmallow as the single source of truth (its
  fields are what OpenAPI documents and its errors are what clients read).
  ``load`` first tries the compiled loader, which returns only when it can
  vouch that ``Schema.load`` would return the very same value; anything it is
  not sure of -- an error, an unusual type, a field class it does not know --
  raises ``_Unsure`` and the ordinary marshmallow load runs instead, giving
  the same result or the same error messages as before.
* Field classes are specialised only when they do not override marshmallow's
  behaviour (String, Integer, Float, Boolean, Raw, Dict, List, Nested and
  validators Length / Range / Regexp / OneOf / Equal); any other field runs
  its own ``deserialize``, which is always correct, only slower.
* Plain ``@pre_load`` and ``@validates_schema`` hooks run as marshmallow
  runs them; schemas with other hooks (post_load, per-field validates,
  pass_original, pass_collection) are not compiled at all.

``tests/unit/sync/test_compiled_schema.py`` checks the promise with
hypothesis: on valid and mangled inputs alike, the compiled loader either
declines or agrees with marshmallow.
"""
from __future__ import annotations

import math
from typing import Any, Callable

from marshmallow import RAISE, Schema, ValidationError, fields, validate
from marshmallow.decorators import POST_LOAD, PRE_LOAD, VALIDATES, VALIDATES_SCHEMA
from marshmallow.utils import missing

Loader = Callable[[Any], Any]


class _Unsure(Exception):
    """The compiled loader cannot vouch for this input; marshmallow decides."""


# Raised as the class, never as one shared instance: re-raising an instance
# chains each new traceback onto the old one (frames, and the request data
# they reference, would pile up across requests and threads).
_UNSURE = _Unsure


class CompiledSchema(Schema):
    """A Schema whose plain ``load(data)`` and ``dump(obj)`` run compiled code first."""

    def dump(self, obj, *, many=None):
        if many is None:
            try:
                return self._compiled("_compiled_dump", compile_dump)(obj)
            except _Unsure:
                pass
        return super().dump(obj, many=many)

    def load(self, data, *, many=None, partial=None, unknown=None):
        if many is None and partial is None and unknown in (None, self.unknown):
            try:
                return self._compiled("_compiled_load", compile_schema)(data)
            except _Unsure:
                pass
        return super().load(data, many=many, partial=partial, unknown=unknown)

    def _compiled(self, slot: str, compile_: Callable[[Schema], Loader]) -> Loader:
        """Compile on first use, once per schema instance (a race only compiles twice)."""
        compiled = self.__dict__.get(slot)
        if compiled is None:
            compiled = self.__dict__[slot] = compile_(self)
        return compiled


def compile_schema(schema: Schema) -> Loader:
    """A loader for ``schema`` that returns what ``schema.load`` would, or raises ``_Unsure``."""
    hooks = schema._hooks  # noqa: SLF001 - marshmallow's registry of decorated methods
    unsupported = (hooks[POST_LOAD] or hooks[VALIDATES] or schema.many
                   or schema.partial or schema.unknown != RAISE
                   or any(kw.get("pass_original") or many
                          for _, many, kw in hooks[VALIDATES_SCHEMA] + hooks[PRE_LOAD]))
    if unsupported:
        return _declined
    plan = [(field.data_key or name, name, field.required, field.load_default,
             _compile_field(field)) for name, field in schema.load_fields.items()]
    known = frozenset(key for key, *_ in plan)
    prepare = [getattr(schema, attr) for attr, _, _ in hooks[PRE_LOAD]]
    checks = [getattr(schema, attr) for attr, _, _ in hooks[VALIDATES_SCHEMA]]
    partial, unknown = schema.partial, schema.unknown

    def load(data):
        try:
            for hook in prepare:  # called as marshmallow calls them
                data = hook(data, many=False, partial=partial, unknown=unknown)
        except ValidationError:
            raise _UNSURE from None
        if type(data) is not dict or not known.issuperset(data):
            raise _UNSURE
        out = {}
        for key, name, required, default, convert in plan:
            raw = data.get(key, missing)
            if raw is missing:
                if required:
                    raise _UNSURE
                if default is not missing:
                    out[name] = default() if callable(default) else default
                continue
            out[name] = convert(raw)
        for check in checks:
            try:
                check(out, partial=partial, many=False, unknown=unknown)
            except ValidationError:
                raise _UNSURE from None
        return out
    return load


def _declined(data):
    raise _UNSURE


def _compile_field(field: fields.Field) -> Loader:
    convert = _specialised(field)
    if convert is None:
        return _generic(field)
    checks = [_compile_validator(v) for v in field.validators]
    allow_none = field.allow_none
    kind = getattr(convert, "exact_type", None)
    if kind is not None:
        return _typed(kind, checks, allow_none, _fused_length(field, kind))

    def load(value):
        if value is None:
            if allow_none:
                return None
            raise _UNSURE
        value = convert(value)
        try:
            for check in checks:
                check(value)
        except TypeError:  # e.g. Length of a Raw number: marshmallow reports it
            raise _UNSURE from None
        return value
    return load


def _fused_length(field: fields.Field, kind: type) -> tuple[int, int] | None:
    """``(min, max)`` of a text field whose one validator is a plain ``Length``."""
    if kind is not str or len(field.validators) != 1:
        return None
    v = field.validators[0]
    if type(v) is not validate.Length or v.equal is not None:
        return None
    return (0 if v.min is None else v.min, math.inf if v.max is None else v.max)


def _typed(kind: type, checks: list, allow_none: bool,
           length: tuple[int, int] | None) -> Loader:
    """An exact-type field in one call: the type test and its checks inline.

    WHY: a push loads ~60 such fields per result (ids, names, answer keys);
    the general loader spent three Python calls on each.
    """
    if length is not None:
        low, high = length

        def load_text(value):
            if type(value) is not str or not low <= len(value) <= high:
                if value is None and allow_none:
                    return None
                raise _UNSURE
            return value
        if not allow_none:
            load_text.text_length = length
        return load_text
    if not checks:
        def load_plain(value):
            if type(value) is not kind:
                if value is None and allow_none:
                    return None
                raise _UNSURE
            return value
        load_plain.plain_str = kind is str and not allow_none
        return load_plain

    def load_checked(value):
        if type(value) is not kind:
            if value is None and allow_none:
                return None
            raise _UNSURE
        try:
            for check in checks:
                check(value)
        except TypeError:
            raise _UNSURE from None
        return value
    return load_checked


def _generic(field: fields.Field) -> Loader:
    """The field's own deserialize: always right, never fast."""
    def load(value):
        try:
            return field.deserialize(value)
        except ValidationError:
            raise _UNSURE from None
    return load


def _own(field: fields.Field, base: type, *methods: str) -> bool:
    """True when ``field`` behaves as ``base`` does: none of ``methods`` overridden."""
    cls = type(field)
    return isinstance(field, base) and all(
        getattr(cls, m) is getattr(base, m) for m in ("deserialize", *methods))


def _specialised(field: fields.Field) -> Loader | None:
    if _own(field, fields.String, "_deserialize"):
        return _exact(str)
    if _own(field, fields.Boolean, "_deserialize"):
        return _exact(bool)
    numeric = ("_deserialize", "_validated", "_format_num")
    if _own(field, fields.Integer, *numeric) and not field.as_string:
        return _exact(int)  # ints only: floats and strings go to marshmallow
    if _own(field, fields.Float, *numeric) and not field.as_string and not field.allow_nan:
        return _finite_float
    if type(field) is fields.Raw:
        return _identity
    if type(field) is fields.Nested and field.unknown is None and not field.many:
        return compile_schema(field.schema)  # field.schema has only/exclude applied
    if type(field) is fields.List:
        return _list_of(_compile_field(field.inner))
    if type(field) is fields.Dict:
        return _dict_of(field)
    return None


def _exact(kind: type) -> Loader:
    def load(value):
        if type(value) is not kind:
            raise _UNSURE
        return value
    load.exact_type = kind  # ``_typed`` fuses it with the field's checks
    return load


def _identity(value):
    return value


def _finite_float(value):
    if type(value) is not float or not math.isfinite(value):
        raise _UNSURE  # marshmallow turns ints into floats and refuses nan/inf: let it
    return value


def _list_of(item: Loader) -> Loader:
    def load(value):
        if type(value) is not list:
            raise _UNSURE
        return [item(v) for v in value]
    return load


def _dict_of(field: fields.Dict) -> Loader:
    key = _compile_field(field.key_field) if field.key_field is not None else _identity
    val = _compile_field(field.value_field) if field.value_field is not None else _identity

    if val is _identity and getattr(key, "plain_str", False):
        def load_copy(value):  # a copy with every key checked, as marshmallow returns
            if type(value) is not dict or not all(type(k) is str for k in value):
                raise _UNSURE
            return dict(value)
        return load_copy
    if val is _identity and getattr(key, "text_length", None) is not None:
        low, high = key.text_length

        def load_copy_checked(value):  # answers: ids of 1-100 characters
            if type(value) is not dict or not all(
                    type(k) is str and low <= len(k) <= high for k in value):
                raise _UNSURE
            return dict(value)
        return load_copy_checked

    def load(value):
        if type(value) is not dict:
            raise _UNSURE
        return {key(k): val(v) for k, v in value.items()}
    return load


def _compile_validator(v) -> Callable[[Any], None]:
    if type(v) is validate.Length:
        low, high, exact = v.min, v.max, v.equal

        def length(value):
            n = len(value)
            if (exact is not None and n != exact) or (low is not None and n < low) \
                    or (high is not None and n > high):
                raise _UNSURE
        return length
    if type(v) is validate.Range:
        return _range(v)
    if type(v) is validate.Regexp:
        match = v.regex.match

        def regexp(value):
            if match(value) is None:
                raise _UNSURE
        return regexp
    if type(v) is validate.OneOf:
        choices = v.choices

        def one_of(value):
            if value not in choices:
                raise _UNSURE
        return one_of
    if type(v) is validate.Equal:
        expected = v.comparable

        def equal(value):
            if value != expected:
                raise _UNSURE
        return equal

    def other(value):
        try:
            ok = v(value)
        except ValidationError:
            raise _UNSURE from None
        if ok is False:
            raise _UNSURE
    return other


def _range(v: validate.Range) -> Callable[[Any], None]:
    low, high = v.min, v.max
    low_in, high_in = v.min_inclusive, v.max_inclusive

    def in_range(value):
        if low is not None and (value < low if low_in else value <= low):
            raise _UNSURE
        if high is not None and (value > high if high_in else value >= high):
            raise _UNSURE
    return in_range


# The dump half lives in its own module; imported last because it builds on the
# primitives above (and ``CompiledSchema.dump`` needs it).
from .compiled_dump import compile_dump  # noqa: E402
