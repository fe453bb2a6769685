"""Devices: list and revoke tokens -- admins any, everyone else their own."""
from __future__ import annotations

from flask_smorest.error_handler import ErrorSchema

from server.services.accounts import devices
from server.auth import current_actor
from server.extensions import get_store
from server.services.errors import Forbidden, NotFound

from .blueprint import Blueprint
from .schemas.accounts import DeviceArgs, Device, DevicePage
from .schemas.paging import page_body

blp = Blueprint("devices", __name__, url_prefix="/api/v1/devices",
                description="Device tokens: who logged in from where; revoke a lost phone.")


@blp.route("", methods=["GET"])
@blp.auth_required()
@blp.arguments(DeviceArgs, location="query")
@blp.response(200, DevicePage)
def list_devices(args):
    """List devices, newest first (non-admins: their own)."""
    me = current_actor()
    user_id = args["user_id"]
    if not me.is_admin:
        if user_id not in (None, me.user_id):
            raise Forbidden("only admins list other users' devices")
        user_id = me.user_id
    return page_body(devices.list_devices(get_store(), user_id=user_id,
                                          cursor=args["cursor"], limit=args["limit"]))


@blp.route("/<device_id>/revoke", methods=["POST"])
@blp.auth_required()
@blp.response(200, Device)
@blp.alt_response(404, schema=ErrorSchema, description="No such device (of yours).")
def revoke_device(device_id):
    """Revoke a device's token at once (admins: any device; others: their own)."""
    me = current_actor()
    device = devices.get_device(get_store(), device_id)
    if not me.is_admin and device["user_id"] != me.user_id:
        raise NotFound(f"device {device_id} not found")
    return devices.revoke_device(get_store(), device_id)
