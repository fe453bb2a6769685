"""Logging in: a session cookie for web pages, a bearer token for devices."""
from __future__ import annotations

from flask import current_app, request
from flask_smorest.error_handler import ErrorSchema

from server.services.accounts import devices
from server.services.accounts.login import log_in
from server.auth import end_session, start_session
from server.extensions import get_login_throttle, get_store

from .blueprint import Blueprint
from .schemas.accounts import DeviceLogin, DeviceLoginIn, LoginIn, SessionLogin

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth",
                description="Log in (web session or device token) and out.")

_WRONG_CREDENTIALS = dict(schema=ErrorSchema, description="Wrong username or password, "
                          "or the account is disabled.")
_THROTTLED = dict(schema=ErrorSchema, description="Too many failed logins for this username "
                  "from this address; wait Retry-After seconds.",
                  headers={"Retry-After": {"required": True, "schema": {"type": "integer"}}})


def _log_in(data: dict) -> dict:
    return log_in(get_store(), get_login_throttle(), username=data["username"],
                  password=data["password"], address=request.remote_addr or "",
                  hash_method=current_app.config["PASSWORD_HASH_METHOD"])


@blp.route("/login", methods=["POST"])
@blp.arguments(LoginIn)
@blp.response(200, SessionLogin)
@blp.alt_response(401, **_WRONG_CREDENTIALS)
@blp.alt_response(429, **_THROTTLED)
def login(data):
    """Start a web session (sets the session cookie).

    State-changing requests with the cookie must send `csrf_token` back in
    the `X-CSRFToken` header (`GET /me` gives it again).
    """
    user = _log_in(data)
    return {**user, "csrf_token": start_session(get_store(), user)}


@blp.route("/logout", methods=["POST"])
@blp.response(204)
def logout():
    """End the web session, server-side too (no-op without one)."""
    end_session(get_store())


@blp.route("/device-login", methods=["POST"])
@blp.arguments(DeviceLoginIn)
@blp.response(201, DeviceLogin)
@blp.alt_response(401, **_WRONG_CREDENTIALS)
@blp.alt_response(429, **_THROTTLED)
def device_login(data):
    """Register this device and get its bearer token (shown only once)."""
    user = _log_in(data)
    device, token = devices.register_device(get_store(), user, name=data["device_name"],
                                            install_id=data["install_id"])
    return {"token": token, "device": device, "user": user}
