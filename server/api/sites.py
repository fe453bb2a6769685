"""Sites: admins create them; everyone sees the sites they work at."""
from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest.error_handler import ErrorSchema

from server.services.accounts import sites
from checklists.actors import ADMIN
from server.services.accounts.access import require_site
from server.auth import current_actor
from server.extensions import get_store

from .blueprint import Blueprint
from .schemas.accounts import Site, SiteIn, SitePage, SitePatch
from .schemas.paging import PageArgs, page_body

blp = Blueprint("sites", __name__, url_prefix="/api/v1/sites",
                description="Sites (properties): the unit of access and of sync.")


@blp.route("")
class Sites(MethodView):
    @blp.auth_required()
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, SitePage)
    def get(self, args):
        """List sites by code: all of them for admins, else the sites you work at."""
        me = current_actor()
        if me.is_admin:
            return page_body(sites.list_sites(get_store(), cursor=args["cursor"],
                                              limit=args["limit"]))
        # A user works at a handful of sites: one page, no cursor.
        return {"items": sites.sites_by_ids(get_store(), me.site_ids), "next_cursor": None}

    @blp.auth_required(ADMIN)
    @blp.arguments(SiteIn)
    @blp.response(201, Site)
    @blp.alt_response(409, schema=ErrorSchema, description="The site code is in use.")
    def post(self, data):
        """Create a site (codes are unique regardless of case) in an IANA time zone."""
        timezone = data.pop("timezone") or current_app.config["DEFAULT_TIMEZONE"]
        return sites.create_site(get_store(), timezone=timezone, **data)


@blp.route("/<site_id>")
class OneSite(MethodView):
    @blp.auth_required()
    @blp.response(200, Site)
    @blp.alt_response(404, schema=ErrorSchema,
                      description="No such site, or not one you work at.")
    def get(self, site_id):
        """One site you work at."""
        require_site(current_actor(), site_id, hide=True)
        return sites.get_site(get_store(), site_id)

    @blp.auth_required(ADMIN)
    @blp.arguments(SitePatch)
    @blp.response(200, Site)
    @blp.alt_response(404, schema=ErrorSchema, description="No such site.")
    def patch(self, data, site_id):
        """Change a site's time zone (times are stored in UTC; this changes how they show)
        or its project lead (``lead_user_id``)."""
        return sites.edit_site(get_store(), site_id, data)
