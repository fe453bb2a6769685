"""Users: create, list, disable, edit, assign to sites, and check a password.

Passwords are stored only as werkzeug hashes. Hashing is deliberately slow
(scrypt by default), so it happens *before* the store transaction is opened:
the transaction holds the single writer lock and must stay short. Username
uniqueness (case-insensitive) is checked inside the transaction, so two
concurrent creates cannot both win.

A user's live web sessions are listed in their record (``sessions``: random
ids, newest last), so a session ends server-side -- at logout, a password
change, or when the user is disabled -- even though its signed cookie
cannot be taken back.
"""
from __future__ import annotations

import functools
import re
import secrets
from datetime import datetime
from typing import Sequence

from werkzeug.security import check_password_hash, generate_password_hash

from server.services.errors import Conflict, Invalid, NotFound, Unauthenticated
from server.services.paging import read_page
from server.store import Page, Put, Store

from checklists.actors import Actor, ROLES
from .records import find_doc, get_doc, new_id, to_text, utc_now
from .reporting import reports_to_errors
from .sites import unknown_site_errors

USERS = "users"
USERNAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._@-]{2,63}$"
PASSWORD_MIN = 8
PASSWORD_MAX = 1024
MAX_SESSIONS = 20  # web sessions kept per user; logging in again ends the oldest
DEFAULT_HASH_METHOD = "scrypt"
_USERNAME_RE = re.compile(USERNAME_PATTERN)


@functools.lru_cache(maxsize=4)
def _dummy_hash(method: str) -> str:
    """Checked when the username is unknown, so a wrong username costs the same
    time as a wrong password and response times do not reveal who exists."""
    return generate_password_hash("not-a-real-password", method=method)


def username_key(username: str) -> str:
    """Usernames are unique and looked up regardless of case."""
    return username.casefold()


def user_put(doc: dict) -> Put:
    """The write of a user record (with its username index)."""
    key = username_key(doc["username"])
    return Put(USERS, doc["id"], doc, bucket=None,
               index={"username": (key, ""), "all": ("all", key)})


def create_user(store: Store, *, username: str, password: str, role: str,
                display_name: str = "", site_ids: Sequence[str] = (),
                hash_method: str = DEFAULT_HASH_METHOD, now: datetime | None = None,
                department: str = "", reports_to: str | None = None) -> dict:
    """Create a user; ``Conflict`` if the username is taken, ``Invalid`` for bad fields.

    ``department`` groups the monthly liability summary; ``reports_to`` is the
    direct supervisor's user id (see ``server.services.accounts.reporting``).
    """
    site_ids = list(dict.fromkeys(site_ids))
    errors = {}
    if not _USERNAME_RE.match(username or ""):
        errors["username"] = ["Use 3-64 letters, digits, '.', '_', '@' or '-', "
                              "starting with a letter or digit."]
    errors.update(password_errors(password))
    if role not in ROLES:
        errors["role"] = [f"Must be one of: {', '.join(ROLES)}."]
    if errors:
        raise Invalid(errors)
    stamp = to_text(now or utc_now())
    doc = {"id": new_id(), "username": username, "display_name": display_name or username,
           "role": role, "site_ids": site_ids, "disabled": False,
           "department": department or "", "reports_to": reports_to or None,
           "password_hash": generate_password_hash(password, method=hash_method),
           "created_at": stamp, "updated_at": stamp}
    with store.transaction() as tx:
        if tx.count(USERS, "username", username_key(username)):
            raise Conflict(f"username {username!r} is already taken")
        bad_sites = unknown_site_errors(tx, site_ids)
        if bad_sites:
            raise Invalid({"site_ids": bad_sites})
        bad_supervisor = reports_to_errors(tx, None, doc["reports_to"])
        if bad_supervisor:
            raise Invalid(bad_supervisor)
        tx.commit([user_put(doc)])
    return doc


def password_errors(password: str, field: str = "password") -> dict:
    """``{field: [why]}`` if ``password`` is too short or long, else ``{}``."""
    if len(password or "") < PASSWORD_MIN:
        return {field: [f"Use at least {PASSWORD_MIN} characters."]}
    if len(password) > PASSWORD_MAX:
        return {field: [f"Use at most {PASSWORD_MAX} characters."]}
    return {}


def get_user(store: Store, user_id: str) -> dict:
    return get_doc(store, USERS, user_id, "user")


def find_user(store: Store, username: str) -> dict | None:
    """The user called ``username`` (any case), or None."""
    return find_doc(store, USERS, "username", username_key(username))


def list_users(store: Store, *, cursor: str | None = None, limit: int = 50) -> Page:
    """All users by username, one page at a time."""
    return read_page(store, USERS, "all", "all", cursor=cursor, limit=limit)


def _update(store: Store, user_id: str, change, now: datetime | None, *,
            stamp: bool = True) -> dict:
    """Read-modify-write one user inside a transaction (no lost updates)."""
    with store.transaction() as tx:
        doc = change(tx, get_doc(tx, USERS, user_id, "user"))
        if stamp:
            doc["updated_at"] = to_text(now or utc_now())
        tx.commit([user_put(doc)])
    return doc


def set_disabled(store: Store, user_id: str, disabled: bool, *,
                 now: datetime | None = None) -> dict:
    """Disable (or re-enable) a user: a disabled user's devices get 401 until
    re-enabled; their web sessions end for good."""
    def change(_tx, doc):
        doc["disabled"] = disabled
        if disabled:
            doc["sessions"] = []
        return doc
    return _update(store, user_id, change, now)


def edit_user(store: Store, user_id: str, *, role: str | None = None,
              site_ids: Sequence[str] | None = None, display_name: str | None = None,
              now: datetime | None = None, department: str | None = None,
              reports_to: str | None = None) -> dict:
    """Change a user's role, sites, display name, department or direct supervisor
    (None: unchanged; ``reports_to=""`` removes the supervisor).

    Takes effect on the user's next request: every request reads the record.
    """
    if role is not None and role not in ROLES:
        raise Invalid({"role": [f"Must be one of: {', '.join(ROLES)}."]})
    if site_ids is not None:
        site_ids = list(dict.fromkeys(site_ids))

    def change(tx, doc):
        if site_ids is not None:
            bad_sites = unknown_site_errors(tx, site_ids)
            if bad_sites:
                raise Invalid({"site_ids": bad_sites})
            doc["site_ids"] = site_ids
        if role is not None:
            doc["role"] = role
        if display_name is not None:
            doc["display_name"] = display_name or doc["username"]
        if department is not None:
            doc["department"] = department
        if reports_to is not None:
            bad_supervisor = reports_to_errors(tx, doc["id"], reports_to or None)
            if bad_supervisor:
                raise Invalid(bad_supervisor)
            doc["reports_to"] = reports_to or None
        return doc
    return _update(store, user_id, change, now)


def open_session(store: Store, user_id: str) -> str:
    """Record a new web session of the user; return its id (for the cookie)."""
    session_id = secrets.token_urlsafe(18)

    def change(_tx, doc):
        doc["sessions"] = [*doc.get("sessions", ())][-(MAX_SESSIONS - 1):] + [session_id]
        return doc
    _update(store, user_id, change, None, stamp=False)
    return session_id


def close_session(store: Store, user_id: str, session_id: str) -> None:
    """End one web session (logout); unknown users and sessions are fine."""
    def change(_tx, doc):
        doc["sessions"] = [s for s in doc.get("sessions", ()) if s != session_id]
        return doc
    try:
        _update(store, user_id, change, None, stamp=False)
    except NotFound:
        pass


def set_sites(store: Store, user_id: str, site_ids: Sequence[str], *,
              now: datetime | None = None) -> dict:
    """Replace the sites a user works at; ``Invalid`` names each unknown site id."""
    return edit_user(store, user_id, site_ids=site_ids, now=now)


def check_password(store: Store, username: str, password: str, *,
                   hash_method: str = DEFAULT_HASH_METHOD) -> dict:
    """The enabled user with these credentials, else ``Unauthenticated``.

    A disabled account is only reported after the password was right, so a
    guesser learns nothing about which accounts exist or are disabled.
    """
    user = find_user(store, username or "")
    if user is None:
        check_password_hash(_dummy_hash(hash_method), password or "")
        raise Unauthenticated("wrong username or password")
    if not check_password_hash(user["password_hash"], password or ""):
        raise Unauthenticated("wrong username or password")
    if user["disabled"]:
        raise Unauthenticated("this account is disabled")
    return user


def actor_of(user: dict, device_id: str | None = None) -> Actor:
    return Actor(user_id=user["id"], username=user["username"], role=user["role"],
                 site_ids=frozenset(user["site_ids"]), device_id=device_id)


def session_actor(store: Store, user_id: str, session_id: str) -> Actor:
    """The actor of a web session; ``Unauthenticated`` if it ended or the user is gone."""
    rec = store.get(USERS, user_id)
    if rec is None or rec.doc["disabled"] or session_id not in rec.doc.get("sessions", ()):
        raise Unauthenticated("your session is no longer valid; log in again")
    return actor_of(dict(rec.doc))


LANGUAGES = ("zh", "en")


def set_language(store: Store, user_id: str, language: str) -> dict:
    """Remember the language the user reads the web pages in."""
    if language not in LANGUAGES:
        raise Invalid({"language": [f"Must be one of: {', '.join(LANGUAGES)}."]})

    def change(_tx, doc):
        doc["language"] = language
        return doc
    return _update(store, user_id, change, None)


def users_by_ids(store: Store, user_ids) -> dict[str, dict]:
    """The existing users among ``user_ids``, by id (for showing names in lists)."""
    return {uid: dict(rec.doc) for uid, rec in store.get_many(USERS, list(user_ids)).items()}
