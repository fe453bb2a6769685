"""Schemas of users, sites, devices, logins and ``/me``.

Field rules come from the services (patterns, lengths) so the CLI and the
HTTP API refuse the same input. Passwords are load-only; hashes never appear.
"""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from server.services.accounts import devices, sites, users
from checklists.actors import ROLES

from .paging import PageArgs, page_schema

_ID = {"description": "32 hex digits", "example": "0f8fad5bd9cb469fa16570867728950e"}
_TIME = {"format": "date-time", "example": "2024-05-01T08:30:00Z"}

def _site_ids(**kwargs) -> fields.List:
    return fields.List(fields.String(validate=validate.Length(1, 64)),
                       validate=validate.Length(max=1000), **kwargs)


def _password(**metadata) -> fields.String:
    return fields.String(required=True, load_only=True, metadata=metadata,
                         validate=validate.Length(users.PASSWORD_MIN, users.PASSWORD_MAX))


_ZONE = {"example": "Asia/Shanghai"}


class Site(Schema):
    id = fields.String(required=True, metadata=_ID)
    code = fields.String(required=True, metadata={"example": "NHG-01"})
    name = fields.String(required=True, metadata={"example": "南湖花园 Nanhu Garden"})
    timezone = fields.String(metadata={**_ZONE, "description": "IANA zone its times are shown "
                                       "in; absent on sites made before zones (they use the "
                                       "server's DEFAULT_TIMEZONE)"})
    created_at = fields.String(required=True, metadata=_TIME)
    lead_user_id = fields.String(dump_default=None, allow_none=True, metadata={
        "description": "the project lead (项目负责人): first level of appeals, default "
                       "responsible person of deductions; null when not named"})


class SiteIn(Schema):
    code = fields.String(required=True, validate=validate.Regexp(sites.CODE_PATTERN))
    name = fields.String(required=True, validate=validate.Length(1, sites.NAME_MAX))
    timezone = fields.String(load_default=None, validate=validate.Length(1, 64), metadata={
        **_ZONE, "description": "IANA time zone (default: the server's DEFAULT_TIMEZONE)"})


class SitePatch(Schema):
    timezone = fields.String(validate=validate.Length(1, 64), metadata=_ZONE)
    lead_user_id = fields.String(allow_none=True, validate=validate.Length(1, 64), metadata={
        "description": "user id of the project lead; null clears it"})


class User(Schema):
    id = fields.String(required=True, metadata=_ID)
    username = fields.String(required=True)
    display_name = fields.String(required=True)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    site_ids = fields.List(fields.String(), required=True)
    disabled = fields.Boolean(required=True)
    created_at = fields.String(required=True, metadata=_TIME)
    updated_at = fields.String(required=True, metadata=_TIME)
    department = fields.String(dump_default="", metadata={
        "description": "groups the monthly liability summary; empty when not set"})
    reports_to = fields.String(dump_default=None, allow_none=True, metadata={
        "description": "user id of the direct supervisor (直属上司); null when not set"})


def _department(**kwargs) -> fields.String:
    return fields.String(validate=validate.Length(max=100), **kwargs)


def _reports_to(**kwargs) -> fields.String:
    return fields.String(validate=validate.Length(max=64), metadata={
        "description": "user id of the direct supervisor; an existing user, no loops"
                       " (edit: empty string removes it)"}, **kwargs)


class UserIn(Schema):
    username = fields.String(required=True, validate=validate.Regexp(users.USERNAME_PATTERN))
    password = _password()
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    display_name = fields.String(load_default="", validate=validate.Length(max=100))
    site_ids = _site_ids(load_default=list)
    department = _department(load_default="")
    reports_to = _reports_to(load_default=None, allow_none=True)


class UserSitesIn(Schema):
    site_ids = _site_ids(required=True)


class UserEditIn(Schema):
    role = fields.String(validate=validate.OneOf(ROLES))
    site_ids = _site_ids()
    display_name = fields.String(validate=validate.Length(max=100))
    department = _department()
    reports_to = _reports_to()


class PasswordResetIn(Schema):
    password = _password(description="the new password")


class PasswordChangeIn(Schema):
    old_password = fields.String(required=True, load_only=True,
                                 validate=validate.Length(1, users.PASSWORD_MAX))
    new_password = _password()


class Device(Schema):
    id = fields.String(required=True, metadata=_ID)
    user_id = fields.String(required=True)
    name = fields.String(required=True)
    install_id = fields.String(required=True, allow_none=True)
    created_at = fields.String(required=True, metadata=_TIME)
    last_seen_at = fields.String(required=True, metadata={
        **_TIME, "description": "updated at most once a minute"})
    revoked_at = fields.String(required=True, allow_none=True, metadata=_TIME)


class DeviceArgs(PageArgs):
    user_id = fields.String(load_default=None, validate=validate.Length(1, 64), metadata={
        "description": "only this user's devices (non-admins may only name themselves)"})


class LoginIn(Schema):
    username = fields.String(required=True, validate=validate.Length(1, 64))
    password = fields.String(required=True, load_only=True, validate=validate.Length(1, 1024))


class DeviceLoginIn(LoginIn):
    device_name = fields.String(required=True, validate=validate.Length(1, devices.NAME_MAX),
                                metadata={"example": "Guard phone 3"})
    install_id = fields.String(load_default=None, validate=validate.Length(1, 100), metadata={
        "description": "stable id of this app install; logging in again revokes its old token"})


class DeviceLogin(Schema):
    token = fields.String(required=True, metadata={
        "description": "send as 'Authorization: Bearer <token>'; shown only this once"})
    device = fields.Nested(Device, required=True)
    user = fields.Nested(User, required=True)


_CSRF = {"description": "web sessions: send it as the X-CSRFToken header with every "
                        "state-changing request"}


class SessionLogin(User):
    csrf_token = fields.String(required=True, metadata=_CSRF)


class Me(Schema):
    user = fields.Nested(User, required=True)
    sites = fields.List(fields.Nested(Site), required=True)
    device = fields.Nested(Device, required=True, allow_none=True, metadata={
        "description": "the device the request came from; null for a web session"})
    csrf_token = fields.String(required=True, allow_none=True, metadata={
        **_CSRF, "description": _CSRF["description"] + "; null for a device token"})


SitePage = page_schema(Site, "SitePage")
UserPage = page_schema(User, "UserPage")
DevicePage = page_schema(Device, "DevicePage")
