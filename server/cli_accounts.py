"""``fieldsync user`` / ``site`` / ``devices``: account administration from the shell.

The same service calls as the admin API; expected failures (a taken
username, an unknown site code) are ``ServiceError``s that the main command
turns into one-line errors.
"""
from __future__ import annotations

import click

from checklists.actors import ROLES
from server.services.errors import NotFound

from .cli_app import cli_app as _app
from .cli_app import cli_store as _store
from .cli_app import every_item as _all


# -- users ---------------------------------------------------------------------

@click.group()
def user():
    """Add, list, edit, disable and enable users; reset passwords."""


def _user_named(username: str) -> dict:
    from server.services.accounts import users
    found = users.find_user(_store(), username)
    if found is None:
        raise NotFound(f"no user named {username!r}")
    return found


def _site_ids(codes) -> list[str]:
    from server.services.accounts import sites
    ids = []
    for code in codes:
        site = sites.find_site(_store(), code)
        if site is None:
            raise NotFound(f"no site with code {code!r} (see: fieldsync site list)")
        ids.append(site["id"])
    return ids


@user.command("add")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="Prompted for when not given.")
@click.option("--name", "display_name", default="", help="Display name (any language).")
@click.option("--site", "site_codes", multiple=True, help="Site code; repeat for several.")
@click.option("--department", default="", help="Department (groups the liability summary).")
@click.option("--reports-to", "reports_to", default=None, metavar="USERNAME",
              help="The user's direct supervisor.")
def user_add(username, role, password, display_name, site_codes, department, reports_to):
    """Create a user."""
    from server.services.accounts import users
    created = users.create_user(_store(), username=username, password=password, role=role,
                                display_name=display_name, site_ids=_site_ids(site_codes),
                                hash_method=_app().config["PASSWORD_HASH_METHOD"],
                                department=department,
                                reports_to=_user_named(reports_to)["id"] if reports_to else None)
    click.echo(f"created {created['role']} {created['username']} (id {created['id']})")


@user.command("list")
def user_list():
    """List users by username."""
    from server.services.accounts import sites, users
    store = _store()
    codes = {s["id"]: s["code"] for s in _all(lambda c: sites.list_sites(store, cursor=c))}
    for u in _all(lambda c: users.list_users(store, cursor=c)):
        state = "DISABLED" if u["disabled"] else "active"
        site_list = ",".join(codes.get(s, s) for s in u["site_ids"]) or "-"
        click.echo(f"{u['username']:<20} {u['role']:<11} {state:<9} {site_list:<20} {u['id']}")


def _set_disabled(username: str, disabled: bool) -> None:
    from server.services.accounts import users
    changed = users.set_disabled(_store(), _user_named(username)["id"], disabled)
    click.echo(f"{changed['username']} is now {'disabled' if disabled else 'enabled'}")


@user.command("set-password")
@click.argument("username")
@click.option("--password", prompt="New password", hide_input=True, confirmation_prompt=True,
              help="Prompted for when not given.")
def user_set_password(username, password):
    """Reset a user's password: all their web sessions and device tokens end."""
    from server.services.accounts.passwords import reset_password
    changed = reset_password(_store(), _user_named(username)["id"], password,
                             hash_method=_app().config["PASSWORD_HASH_METHOD"])
    click.echo(f"password of {changed['username']} reset; their sessions and devices "
               f"must log in again")


@user.command("edit")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), default=None, help="New role.")
@click.option("--site", "site_codes", multiple=True,
              help="Site code; repeat for several. Replaces the user's sites.")
@click.option("--no-sites", is_flag=True, help="Remove the user from every site.")
@click.option("--name", "display_name", default=None, help="New display name.")
@click.option("--department", default=None, help="New department ('' clears it).")
@click.option("--reports-to", "reports_to", default=None, metavar="USERNAME",
              help="New direct supervisor ('' removes it).")
def user_edit(username, role, site_codes, no_sites, display_name, department, reports_to):
    """Change a user's role, sites, display name, department or direct supervisor
    (what is not given stays)."""
    from server.services.accounts import users
    if site_codes and no_sites:
        raise click.UsageError("give --site or --no-sites, not both")
    site_ids = [] if no_sites else (_site_ids(site_codes) if site_codes else None)
    supervisor = _user_named(reports_to)["id"] if reports_to else reports_to
    changed = users.edit_user(_store(), _user_named(username)["id"], role=role,
                              site_ids=site_ids, display_name=display_name,
                              department=department, reports_to=supervisor)
    click.echo(f"{changed['username']}: {changed['role']}, {len(changed['site_ids'])} site(s)")


@user.command("disable")
@click.argument("username")
def user_disable(username):
    """Disable a user: their sessions and devices stop working at once."""
    _set_disabled(username, True)


@user.command("enable")
@click.argument("username")
def user_enable(username):
    """Re-enable a disabled user."""
    _set_disabled(username, False)


# -- sites ---------------------------------------------------------------------

@click.group()
def site():
    """Add and list sites."""


@site.command("add")
@click.argument("code")
@click.argument("name")
@click.option("--timezone", default=None, metavar="TZ",
              help="IANA time zone, e.g. Asia/Shanghai (default: DEFAULT_TIMEZONE).")
def site_add(code, name, timezone):
    """Create a site with a short CODE and a NAME (any language)."""
    from server.services.accounts import sites
    created = sites.create_site(_store(), code=code, name=name,
                                timezone=timezone or _app().config["DEFAULT_TIMEZONE"])
    click.echo(f"created site {created['code']} (id {created['id']}, {created['timezone']})")


@site.command("set-timezone")
@click.argument("code")
@click.argument("timezone")
def site_set_timezone(code, timezone):
    """Show the times of site CODE in TIMEZONE (IANA name); stored times stay UTC."""
    from server.services.accounts import sites
    changed = sites.set_timezone(_store(), _site_ids([code])[0], timezone)
    click.echo(f"site {changed['code']} now shows times in {changed['timezone']}")


@site.command("set-lead")
@click.argument("code")
@click.argument("username", required=False)
def site_set_lead(code, username):
    """Name USERNAME the project lead of site CODE (no USERNAME: clear it)."""
    from server.services.accounts import sites
    lead = _user_named(username)["id"] if username else None
    changed = sites.edit_site(_store(), _site_ids([code])[0], {"lead_user_id": lead})
    click.echo(f"site {changed['code']}: lead {username or 'none'}")


@site.command("list")
def site_list():
    """List sites by code."""
    from server.services.accounts import sites
    store = _store()
    default = _app().config["DEFAULT_TIMEZONE"]
    for s in _all(lambda c: sites.list_sites(store, cursor=c)):
        zone = sites.site_timezone(s, default)
        click.echo(f"{s['code']:<12} {s['name']:<30} {zone:<20} {s['id']}")


# -- devices -------------------------------------------------------------------
# ``devices`` manages the tokens this server issued; ``device`` (singular,
# below) is the field client that a handheld or laptop runs against a server.

@click.group()
def devices():
    """List and revoke device tokens issued by this server."""


@devices.command("list")
@click.option("--user", "username", default=None, help="Only this user's devices.")
def device_list(username):
    """List devices, newest first."""
    from server.services.accounts import devices, users
    store = _store()
    user_id = _user_named(username)["id"] if username else None
    names = {}
    for d in _all(lambda c: devices.list_devices(store, user_id=user_id, cursor=c)):
        if d["user_id"] not in names:
            names[d["user_id"]] = users.get_user(store, d["user_id"])["username"]
        state = f"revoked {d['revoked_at']}" if d["revoked_at"] else "active"
        click.echo(f"{d['id']}  {names[d['user_id']]:<16} {d['name']:<20} "
                   f"last seen {d['last_seen_at']}  {state}")


@devices.command("revoke")
@click.argument("device_id")
def device_revoke(device_id):
    """Revoke a device's token at once."""
    from server.services.accounts import devices
    revoked = devices.revoke_device(_store(), device_id)
    click.echo(f"device {revoked['id']} ({revoked['name']}) revoked at {revoked['revoked_at']}")
