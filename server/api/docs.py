"""A landing page for the API: where the spec and the (offline) viewers are."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, url_for

bp = Blueprint("api_home", __name__)


@bp.get("/api/")
def index():
    """Links to the OpenAPI document, Swagger UI and ReDoc."""
    prefix = current_app.config["OPENAPI_URL_PREFIX"].rstrip("/")
    cfg = current_app.config
    return render_template(
        "api_index.html", title=cfg["API_TITLE"], version=cfg["API_VERSION"],
        spec_url=f"{prefix}/{cfg['OPENAPI_JSON_PATH']}",
        swagger_url=f"{prefix}/{cfg['OPENAPI_SWAGGER_UI_PATH']}",
        redoc_url=f"{prefix}/{cfg['OPENAPI_REDOC_PATH']}",
        favicon=url_for("static", filename="vendor/swagger-ui/favicon-32x32.png"))

