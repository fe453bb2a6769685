"""Who is calling: device bearer tokens and web session cookies, for any view.

Use from views (API or web pages)::

    from server.auth import current_actor, require_auth

    @require_auth("supervisor", "admin")        # 401 / 403 before the view runs
    def view(...):
        me = current_actor()                     # checklists.actors.Actor
        require_site(me, site_id, hide=True)     # from server.services.accounts.access

flask-smorest views use ``blp.auth_required(...)`` (server.api.blueprint),
which wraps ``require_auth`` and also documents it in OpenAPI. Failures raise
``server.services.errors.Unauthenticated`` / ``Forbidden``; the app's error
handlers answer them 401 (with ``WWW-Authenticate: Bearer``) / 403.
"""
from .csrf import csrf_token
from .request_auth import current_actor, current_session_id, require_auth
from .sessions import end_session, start_session

__all__ = ["csrf_token", "current_actor", "current_session_id", "end_session",
           "require_auth", "start_session"]
