"""Our flask-smorest ``Blueprint``: strict JSON bodies and documented auth.

Two things every endpoint needs and would otherwise repeat:

* ``arguments(Schema)`` for a JSON body also refuses a body that is not JSON
  with 415 (webargs would silently read such a body as empty and answer 422),
  parses JSON strictly (orjson: no NaN/Infinity, no lone surrogates, valid
  UTF-8, no integer beyond 64 bits -- what the store can keep unaltered) and
  documents 400/413/415.
* ``auth_required(*roles)`` checks the caller before anything is parsed and
  documents the security schemes with 401/403 in the OpenAPI document.

Decorator order on a view, outermost first: ``auth_required``, then
``arguments``, then ``response``/``alt_response`` -- so a stranger gets 401
before their body is even read.
"""
from __future__ import annotations

import json
from functools import wraps

import flask_smorest
import orjson
from flask import request
from flask_smorest.error_handler import ErrorSchema
from marshmallow import Schema, ValidationError
from marshmallow import fields as ma_fields
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request

from checklists.actors import ROLES
from server.auth import require_auth

from .errors import WWW_AUTHENTICATE
from .json_integers import refuse_oversized_integers

SECURITY = [{"deviceToken": []}, {"session": []}]
_ERROR_SCHEMA = ErrorSchema()  # one instance for every documented error (~500 of them)


def security_schemes(session_cookie_name: str) -> dict:
    """OpenAPI security: a device token in the Authorization header, or a web session cookie."""
    return {
        "deviceToken": {"type": "http", "scheme": "bearer",
                        "description": "Token from POST /api/v1/auth/device-login"},
        "session": {"type": "apiKey", "in": "cookie", "name": session_cookie_name,
                    "description": "Cookie set by POST /api/v1/auth/login. State-changing "
                                   "requests with it must also send the header X-CSRFToken "
                                   "(csrf_token from the login or GET /api/v1/me), else 403."},
    }


_JSON_BODY_ERRORS = {
    400: "The body is not valid JSON.",
    413: "The body is larger than the server accepts.",
    415: "The body is not application/json.",
}


class StrictJsonParser(FlaskParser):
    """Parse JSON bodies with orjson, refusing what the store could not keep as sent.

    Query strings are strict too: a parameter given twice where one value is
    expected is a 422 naming it (webargs would quietly keep one of them).
    """

    def load_querystring(self, req, schema):
        lists = {f.data_key or name for name, f in schema.fields.items()
                 if isinstance(f, ma_fields.List)}
        repeated = sorted(k for k in req.args if k not in lists and len(req.args.getlist(k)) > 1)
        if repeated:
            raise ValidationError({k: ["Give this parameter once."] for k in repeated})
        return super().load_querystring(req, schema)

    def _raw_load_json(self, req):
        if not is_json_request(req):
            return core.missing
        body = req.get_data(cache=True)
        if not body.strip():
            return core.missing  # the schema then names each missing field
        try:
            value = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            # webargs reads an error with an empty ``doc`` as "no body"; keep it an error
            raise json.JSONDecodeError(str(exc), "<body>", 0) from None
        refuse_oversized_integers(body)  # orjson made them floats: a 422 naming each
        return value


def refuse_non_json_body() -> None:
    """415 unless the request body is JSON (an empty, untyped body is let through)."""
    if request.is_json:
        return
    has_body = bool(request.content_length) or "chunked" in request.headers.get(
        "Transfer-Encoding", "").lower()
    if request.mimetype or has_body:
        flask_smorest.abort(415, message="send the body as application/json")


class Blueprint(flask_smorest.Blueprint):
    """A flask-smorest Blueprint with strict JSON bodies and ``auth_required``."""

    ARGUMENTS_PARSER = StrictJsonParser()

    def arguments(self, schema, *, location="json", **kwargs):
        # One instance for the view's life: given a class, webargs built a new
        # instance per request, and a ``CompiledSchema`` compiled its loader again
        # each time (about a third of a no-op pull's CPU).
        schema = _shared_in_docs(schema)
        parse = super().arguments(schema, location=location, **kwargs)
        if location != "json":
            return parse

        def decorator(func):
            parsed = parse(func)

            @wraps(parsed)
            def checked(*args, **kw):
                refuse_non_json_body()
                return parsed(*args, **kw)

            for code, description in _JSON_BODY_ERRORS.items():
                checked = self.alt_response(code, schema=_ERROR_SCHEMA,
                                            description=description)(checked)
            return checked
        return decorator

    def response(self, status_code, schema=None, **kwargs):
        return super().response(status_code, _shared_in_docs(schema), **kwargs)

    def alt_response(self, status_code, response=None, **kwargs):
        """flask-smorest's ``alt_response``, documented without a wrapper or a deep copy.

        WHY: the original wraps the view once more per documented response and
        deep-copies the doc gathered so far (schema instances included) each
        time: ~500 decorations were ~1 s of the app's start, and every request
        went through each wrapper. The doc added here is the original's own,
        built on a blank function; the view's doc is copied only along the path
        that changes, so the OpenAPI document is the same byte for byte.
        """
        added = super().alt_response(status_code, response, **kwargs)(_blank)._apidoc
        for doc in added["response"]["responses"][status_code]:
            if isinstance(doc, dict):  # not a reference by name
                _shared_in_docs(doc.get("schema"))

        def decorator(func):
            func._apidoc = _with_responses(getattr(func, "_apidoc", {}), added)
            return func
        return decorator

    def auth_required(self, *roles: str):
        """Let only authenticated callers with one of ``roles`` (none given: any role) in."""
        guard = require_auth(*roles)
        who = f"Roles: {', '.join(roles)}." if roles else "Any authenticated user."

        def decorator(func):
            view = self.doc(security=SECURITY, **{"x-roles": list(roles or ROLES)})(guard(func))
            view = self.alt_response(
                401, schema=_ERROR_SCHEMA, description="Not logged in, or the token or "
                "session is no longer valid.",
                headers={"WWW-Authenticate": {"required": True, "schema": {"type": "string"},
                                              "example": WWW_AUTHENTICATE}})(view)
            return self.alt_response(403, schema=_ERROR_SCHEMA,
                                     description=f"Not allowed. {who}")(view)
        return decorator


def _shared_in_docs(schema):
    """``schema`` as an instance that deep copies of the OpenAPI doc share, not copy.

    WHY: flask-smorest deep-copies a view's doc at each decorator and twice
    more while registering, and a schema instance is the bulk of it (fields,
    validators, hooks): ~1 s of the app's start. Nothing mutates a schema in
    the doc; apispec only reads it to emit its JSON or a reference.
    """
    if isinstance(schema, type):
        schema = schema()
    if isinstance(schema, Schema):
        schema.__deepcopy__ = lambda memo: schema
    return schema


def _blank():
    """Stands in for a view while flask-smorest builds an alternative response's doc."""


def _with_responses(doc: dict, added: dict) -> dict:
    """``doc`` plus ``added``'s responses, as a new dict; neither argument is changed."""
    merged = dict(doc)
    response = merged["response"] = dict(doc.get("response", {}))
    responses = response["responses"] = dict(response.get("responses", {}))
    for code, docs in added["response"]["responses"].items():
        responses[code] = [*responses.get(code, []), *docs]
    if "success_status_codes" in added:
        merged["success_status_codes"] = [*doc.get("success_status_codes", []),
                                          *added["success_status_codes"]]
    return merged
