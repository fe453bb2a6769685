"""Configuration: defaults, then a config file, then ``FIELDSYNC_*`` env vars, then the caller.

Precedence, lowest first:

1. ``DEFAULTS`` below;
2. the file named by ``FIELDSYNC_CONFIG`` -- ``.py`` (Flask ``from_pyfile``:
   upper-case names), ``.toml`` or ``.json`` (a table of upper-case keys);
3. environment variables ``FIELDSYNC_<KEY>`` (values parsed as JSON when
   they parse, so ``FIELDSYNC_PORT=8080`` is an int, else kept as text);
4. the mapping passed to ``create_app(config)`` -- tests and the CLI.

Derived values are filled in last, so they follow whatever won: ``STORE_URL``
defaults to ``sqlite:///<DATA_DIR>/fieldsync.db``.
"""
from __future__ import annotations

import json
import os
import secrets
import tomllib
from typing import Any, Mapping

from flask import Flask

from checklists.timezones import DEFAULT_TIMEZONE, UnknownTimezone, check_timezone

ENV_PREFIX = "FIELDSYNC"
CONFIG_FILE_ENV = "FIELDSYNC_CONFIG"

DEFAULTS: dict[str, Any] = {
    # Where the store, photos and the generated secret key live.
    "DATA_DIR": "fieldsync-data",
    # Backend URL for server.store.open_store; None = sqlite:///<DATA_DIR>/fieldsync.db.
    "STORE_URL": None,
    # None = generated once and kept in <DATA_DIR>/secret_key (sessions survive restarts).
    "SECRET_KEY": None,
    "HOST": "127.0.0.1",
    "PORT": 8000,
    "THREADS": 8,
    # Largest request body accepted (413 above it). Sync batches are JSON;
    # photo chunks may raise the limit per request.
    "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,
    # werkzeug.security method for new password hashes.
    "PASSWORD_HASH_METHOD": "scrypt",
    # Failed-login backoff (server.services.accounts.throttle.LoginThrottle).
    "LOGIN_FREE_FAILURES": 5,
    "LOGIN_BACKOFF_BASE_SECONDS": 2.0,
    "LOGIN_BACKOFF_MAX_SECONDS": 900.0,
    # A device's last-seen time is written at most this often.
    "DEVICE_LAST_SEEN_INTERVAL_SECONDS": 60,
    # Web session cookie: not readable by scripts, not sent on cross-site
    # requests (our CSRF defence together with JSON-only unsafe endpoints).
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "fieldsync_session",
    # Photos: largest upload, pixel ceiling (larger images are refused, not
    # decoded), and the CJK font of the watermark (Debian fonts-wqy-microhei).
    "PHOTO_MAX_BYTES": 50 * 1024 * 1024,
    "PHOTO_MAX_PIXELS": 50_000_000,
    "PHOTO_FONT_PATH": "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    # Decoded pixels all photo decodes and renders may hold at once (a 50 MP
    # RGBA PNG takes 200 MB), and how long a request waits for room before it
    # is answered 503 with Retry-After.
    "PHOTO_DECODE_MEMORY": 1 << 30,
    "PHOTO_DECODE_WAIT_SECONDS": 30,
    # IANA zone of a site created without one (and of older sites that have
    # none); stamps, schedules and reports show times in the site's zone.
    "DEFAULT_TIMEZONE": DEFAULT_TIMEZONE,
    # Appeals (checklists.workflow.appeals): days to file after a result, for
    # each level to decide, and to take a decision one level up; the
    # department whose supervisors hold the project-department level.
    "APPEAL_FILE_DAYS": 7,
    "APPEAL_DECIDE_DAYS": 7,
    "APPEAL_FURTHER_DAYS": 7,
    "APPEAL_PROJECT_DEPARTMENT": "项目部",
    # Liability (checklists.workflow.liability): the person's share of a
    # deduction (the direct supervisor bears the rest), and whether the split
    # applies to every deduction or only to those under joint liability.
    "LIABILITY_PERSON_SHARE": 0.7,
    "LIABILITY_SPLIT_ALWAYS": True,
    # Household files (seed 001 §4.8): hours an approved request to read one lasts.
    "HOUSEHOLD_ACCESS_HOURS": 24,
    # Patrol rounds are planned this many days ahead; the job inside
    # `fieldsync serve` plans and marks missed rounds this often (0: no job).
    "PATROL_HORIZON_DAYS": 7,
    "PATROL_JOB_INTERVAL_SECONDS": 60,
    # flask-smorest / OpenAPI. Docs load vendored JS (the field has no internet).
    "API_TITLE": "fieldsync",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api",
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "docs",
    "OPENAPI_SWAGGER_UI_URL": "/static/vendor/swagger-ui/",
    # Swagger UI would otherwise send the spec to validator.swagger.io for a badge.
    "OPENAPI_SWAGGER_UI_CONFIG": {"validatorUrl": None},
    "OPENAPI_REDOC_PATH": "redoc",
    "OPENAPI_REDOC_URL": "/static/vendor/redoc/redoc.standalone.js",
}


class ConfigError(Exception):
    """The configuration cannot be used; the message says which setting and why."""


def load_config(app: Flask, overrides: Mapping[str, Any] | None = None) -> None:
    """Fill ``app.config`` in precedence order (see module docstring)."""
    app.config.from_mapping(DEFAULTS)
    path = os.environ.get(CONFIG_FILE_ENV)
    if path:
        _load_file(app, path)
    app.config.from_prefixed_env(ENV_PREFIX)
    app.config.pop("CONFIG", None)  # FIELDSYNC_CONFIG names the file, it is no setting
    if overrides:
        app.config.from_mapping(overrides)
    app.config["DATA_DIR"] = os.path.abspath(str(app.config["DATA_DIR"]))
    try:
        check_timezone(app.config["DEFAULT_TIMEZONE"])
    except UnknownTimezone as exc:
        raise ConfigError(f"DEFAULT_TIMEZONE: {exc}") from None
    if not app.config.get("STORE_URL"):
        app.config["STORE_URL"] = "sqlite:///" + os.path.join(app.config["DATA_DIR"],
                                                          "fieldsync.db")
    # JSON out in schema field order, and Chinese as Chinese rather than \u escapes.
    app.json.sort_keys = False
    app.json.ensure_ascii = False


def _load_file(app: Flask, path: str) -> None:
    if not os.path.isfile(path):
        raise ConfigError(f"{CONFIG_FILE_ENV}={path}: no such file")
    try:
        if path.endswith(".py"):
            app.config.from_pyfile(path)
        elif path.endswith(".toml"):
            app.config.from_file(path, load=tomllib.load, text=False)
        elif path.endswith(".json"):
            app.config.from_file(path, load=json.load)
        else:
            raise ConfigError(f"{CONFIG_FILE_ENV}={path}: use a .py, .toml or .json file")
    except (ValueError, SyntaxError, OSError) as exc:  # tomllib/json errors are ValueErrors
        raise ConfigError(f"{CONFIG_FILE_ENV}={path}: {exc}") from exc


def secret_key(data_dir: str) -> str:
    """The key kept in ``<data_dir>/secret_key``, created (mode 0600) on first use."""
    path = os.path.join(data_dir, "secret_key")
    try:
        with open(path, encoding="ascii") as fh:
            key = fh.read().strip()
        if key:
            return key
    except FileNotFoundError:
        pass
    os.makedirs(data_dir, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path + ".tmp", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(path + ".tmp", path)
    return key
