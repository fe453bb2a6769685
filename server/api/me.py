"""The caller's own account."""
from __future__ import annotations

from flask import current_app, request
from flask_smorest.error_handler import ErrorSchema

from server.services.accounts.passwords import change_own_password
from server.services.accounts.profile import profile
from server.auth import csrf_token, current_actor, current_session_id
from server.extensions import get_login_throttle, get_store

from .blueprint import Blueprint
from .schemas.accounts import Me, PasswordChangeIn

blp = Blueprint("me", __name__, url_prefix="/api/v1/me",
                description="Who am I: user, role, sites and device; change my password.")


@blp.route("", methods=["GET"])
@blp.auth_required()
@blp.response(200, Me)
def me():
    """Your user, role, the sites you work at, the device you call from, and
    (web sessions) the CSRF token for state-changing requests."""
    actor = current_actor()
    token = csrf_token() if current_session_id() is not None else None
    return {**profile(get_store(), actor), "csrf_token": token}


@blp.route("/password", methods=["POST"])
@blp.auth_required()
@blp.arguments(PasswordChangeIn)
@blp.response(204)
@blp.alt_response(409, schema=ErrorSchema, description="Changed meanwhile; try again.")
@blp.alt_response(429, schema=ErrorSchema, description="Too many wrong current passwords; "
                  "wait Retry-After seconds.",
                  headers={"Retry-After": {"required": True, "schema": {"type": "integer"}}})
def change_password(data):
    """Change your password (give the current one). Your other web sessions end;
    this session and your devices stay logged in."""
    change_own_password(get_store(), current_actor().user_id, data["old_password"],
                        data["new_password"], throttle=get_login_throttle(),
                        address=request.remote_addr or "", keep_session=current_session_id(),
                        hash_method=current_app.config["PASSWORD_HASH_METHOD"])
