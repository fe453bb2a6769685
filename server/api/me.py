"""The caller's own account."""
from __future__ import annotations

from server.accounts.profile import profile
from server.auth import current_principal
from server.extensions import get_store

from .blueprint import Blueprint
from .schemas.accounts import Me

blp = Blueprint("me", __name__, url_prefix="/api/v1/me",
                description="Who am I: user, role, sites and device.")


@blp.route("", methods=["GET"])
@blp.auth_required()
@blp.response(200, Me)
def me():
    """Your user, role, the sites you work at and the device you call from."""
    return profile(get_store(), current_principal())
