"""Changing passwords: an admin's reset, and a user's own change.

Both end the user's web sessions (a cookie captured before must not work
after); an admin's reset also revokes every device token, since it is what
an admin does when an account may be in someone else's hands. A user who
changes their own password keeps the session they do it from and their
devices (they can revoke any of them). The password is hashed before the
transaction opens: hashing is slow and the transaction holds the writer lock.
"""
from __future__ import annotations

from werkzeug.security import check_password_hash, generate_password_hash

from server.services.errors import Conflict, Invalid
from server.store import Store

from .devices import revoke_all
from .throttle import LoginThrottle
from .records import get_doc, to_text, utc_now
from .users import DEFAULT_HASH_METHOD, USERS, password_errors, user_put


def _new_hash(password: str, field: str, hash_method: str) -> str:
    errors = password_errors(password, field)
    if errors:
        raise Invalid(errors)
    return generate_password_hash(password, method=hash_method)


def reset_password(store: Store, user_id: str, password: str, *,
                   hash_method: str = DEFAULT_HASH_METHOD) -> dict:
    """Set a user's password (admins); every session and device token of theirs ends."""
    password_hash = _new_hash(password, "password", hash_method)
    stamp = to_text(utc_now())
    with store.transaction() as tx:
        doc = get_doc(tx, USERS, user_id, "user")
        doc.update(password_hash=password_hash, sessions=[], updated_at=stamp)
        tx.commit([user_put(doc), *revoke_all(tx, user_id, stamp)])
    return doc


def change_own_password(store: Store, user_id: str, old_password: str, new_password: str, *,
                        throttle: LoginThrottle, address: str,
                        keep_session: str | None = None,
                        hash_method: str = DEFAULT_HASH_METHOD) -> dict:
    """Change your own password given the current one; other web sessions end.

    ``Invalid`` names ``old_password`` when it is wrong (the caller is
    already authenticated, so this is a field error, not a login failure);
    wrong guesses count against the login ``throttle``, so a stolen session
    cannot be used to guess the password.
    """
    current = get_doc(store, USERS, user_id, "user")
    throttle.check(current["username"], address)
    if not check_password_hash(current["password_hash"], old_password or ""):
        throttle.failed(current["username"], address)
        raise Invalid({"old_password": ["This is not your current password."]})
    throttle.succeeded(current["username"], address)
    password_hash = _new_hash(new_password, "new_password", hash_method)
    with store.transaction() as tx:
        doc = get_doc(tx, USERS, user_id, "user")
        if doc["password_hash"] != current["password_hash"]:
            raise Conflict("the password was changed meanwhile; try again")
        kept = [s for s in doc.get("sessions", ()) if s == keep_session]
        doc.update(password_hash=password_hash, sessions=kept, updated_at=to_text(utc_now()))
        tx.commit([user_put(doc)])
    return doc
