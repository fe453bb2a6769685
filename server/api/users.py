"""Managing users (admins): create, list, edit, reset passwords, disable/enable."""
from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest.error_handler import ErrorSchema

from server.services.accounts import users
from server.services.accounts.passwords import reset_password
from checklists.actors import ADMIN
from server.extensions import get_store

from .blueprint import Blueprint
from .schemas.accounts import PasswordResetIn, UserEditIn, UserIn, User, UserPage, UserSitesIn
from .schemas.paging import PageArgs, page_body

blp = Blueprint("users", __name__, url_prefix="/api/v1/users",
                description="User accounts and the sites they work at (admins only).")

_NOT_FOUND = dict(schema=ErrorSchema, description="No such user.")


@blp.route("")
class Users(MethodView):
    @blp.auth_required(ADMIN)
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, UserPage)
    def get(self, args):
        """List users by username."""
        return page_body(users.list_users(get_store(), cursor=args["cursor"],
                                          limit=args["limit"]))

    @blp.auth_required(ADMIN)
    @blp.arguments(UserIn)
    @blp.response(201, User)
    @blp.alt_response(409, schema=ErrorSchema, description="The username is taken.")
    def post(self, data):
        """Create a user (usernames are unique regardless of case)."""
        return users.create_user(get_store(), **data,
                                 hash_method=current_app.config["PASSWORD_HASH_METHOD"])


@blp.route("/<user_id>")
class OneUser(MethodView):
    @blp.auth_required(ADMIN)
    @blp.response(200, User)
    @blp.alt_response(404, **_NOT_FOUND)
    def get(self, user_id):
        """One user."""
        return users.get_user(get_store(), user_id)

    @blp.auth_required(ADMIN)
    @blp.arguments(UserEditIn)
    @blp.response(200, User)
    @blp.alt_response(404, **_NOT_FOUND)
    def patch(self, data, user_id):
        """Change a user's role, sites or display name (fields left out stay)."""
        return users.edit_user(get_store(), user_id, **data)


@blp.route("/<user_id>/password", methods=["POST"])
@blp.auth_required(ADMIN)
@blp.arguments(PasswordResetIn)
@blp.response(200, User)
@blp.alt_response(404, **_NOT_FOUND)
def set_password(data, user_id):
    """Reset a user's password: all their web sessions and device tokens end."""
    return reset_password(get_store(), user_id, data["password"],
                          hash_method=current_app.config["PASSWORD_HASH_METHOD"])


@blp.route("/<user_id>/disable", methods=["POST"])
@blp.auth_required(ADMIN)
@blp.response(200, User)
@blp.alt_response(404, **_NOT_FOUND)
def disable_user(user_id):
    """Disable a user: their sessions end and their device tokens get 401 from now on."""
    return users.set_disabled(get_store(), user_id, True)


@blp.route("/<user_id>/enable", methods=["POST"])
@blp.auth_required(ADMIN)
@blp.response(200, User)
@blp.alt_response(404, **_NOT_FOUND)
def enable_user(user_id):
    """Re-enable a disabled user (their unrevoked devices work again)."""
    return users.set_disabled(get_store(), user_id, False)


@blp.route("/<user_id>/sites", methods=["PUT"])
@blp.auth_required(ADMIN)
@blp.arguments(UserSitesIn)
@blp.response(200, User)
@blp.alt_response(404, **_NOT_FOUND)
def set_sites(data, user_id):
    """Replace the sites a user works at."""
    return users.set_sites(get_store(), user_id, data["site_ids"])
