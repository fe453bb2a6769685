"""Every error answered as JSON in flask-smorest's ``ErrorSchema`` shape.

``Api`` fixes one flask-smorest gap (libs-and-style §2.3): its handler drops
the headers Werkzeug attaches to an HTTP error, so a 405 lost its ``Allow``
header. Service errors (``server.services.errors``) are mapped to one status
each here, so routes never translate errors themselves.
"""
from __future__ import annotations

import http

import flask_smorest
from apispec import BasePlugin
from flask import Flask

from server.services import errors as svc

#: the challenge sent with every 401, as RFC 6750 asks of bearer-token APIs
WWW_AUTHENTICATE = 'Bearer realm="fieldsync"'

_STATUS = {svc.Invalid: 422, svc.Unauthenticated: 401, svc.Forbidden: 403,
           svc.NotFound: 404, svc.Conflict: 409, svc.Throttled: 429}


class Api(flask_smorest.Api):
    """flask-smorest's Api with Werkzeug's error headers kept and no catch-all doc."""

    # Without a documented "default" response every status an operation can
    # answer must be documented, and the OpenAPI fuzz test holds us to it.
    DEFAULT_ERROR_RESPONSE_NAME = None

    def handle_http_exception(self, error):
        payload, code, headers = super().handle_http_exception(error)
        werkzeug_headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
        return payload, code, {**werkzeug_headers, **(headers or {})}


#: The header every 503 carries (storage outage, photo decoding busy).
RETRY_AFTER = {"Retry-After": {"required": True, "schema": {"type": "integer"}}}


class StoreOutageResponses(BasePlugin):
    """Documents the 503 every operation answers while storage is unavailable.

    Any request reads the store (authentication does), and a PostgreSQL
    store may be unreachable for reads and writes alike; an operation that
    documents its own 503 keeps it.
    """

    RESPONSE = {
        "description": "Storage is unavailable; nothing was saved. Retry after "
                       "`Retry-After` seconds.",
        "headers": RETRY_AFTER,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }

    def operation_helper(self, path=None, operations=None, **kwargs):
        for operation in (operations or {}).values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            if not {503, "503"} & set(responses):  # flask-smorest's keys may be ints
                responses["503"] = self.RESPONSE


#: Statuses of our protocols that the HTTP registry does not name (tus uses 460).
EXTRA_PHRASES = {460: "Checksum Mismatch"}


def error_body(code: int, message: str, errors=None) -> dict:
    phrase = EXTRA_PHRASES.get(code) or http.HTTPStatus(code).phrase
    body = {"code": code, "status": phrase, "message": message}
    if errors is not None:
        body["errors"] = errors
    return body


def _service_error(error: svc.ServiceError):
    code = next(status for cls, status in _STATUS.items() if isinstance(error, cls))
    headers = {}
    if code == 401:
        headers["WWW-Authenticate"] = WWW_AUTHENTICATE
    if isinstance(error, svc.Throttled):
        headers["Retry-After"] = str(error.retry_after)
    errors = {error.location: error.messages} if isinstance(error, svc.Invalid) else None
    if isinstance(error, svc.StaleState):
        errors = {"allowed": error.allowed}  # the moves possible from the current state
    return error_body(code, str(error), errors), code, headers


def _store_unavailable(error: svc.StoreUnavailable):
    """The commit was not made durable and nothing was applied: the client may retry."""
    return (error_body(503, "storage is unavailable; nothing was saved, retry later"),
            503, {"Retry-After": "5"})


def init_app(app: Flask) -> None:
    app.register_error_handler(svc.ServiceError, _service_error)
    app.register_error_handler(svc.StoreUnavailable, _store_unavailable)
