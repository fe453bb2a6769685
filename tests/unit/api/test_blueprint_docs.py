"""Our Blueprint documents views as flask-smorest does, without its wrappers and deep copies.

``server.api.blueprint.Blueprint`` overrides ``alt_response`` (no wrapper, no
deep copy) and shares schema instances between copies of the doc; the
OpenAPI document must not change for it. Each test builds the same views
with the stock ``flask_smorest.Blueprint`` and with ours, and compares.
"""
import json

import flask_smorest
from flask import Flask
from flask.views import MethodView
from flask_smorest.error_handler import ErrorSchema
from marshmallow import Schema, fields

from server.api.blueprint import Blueprint


class ItemIn(Schema):
    name = fields.String(required=True)


class ItemOut(Schema):
    id = fields.Integer(required=True)
    name = fields.String()


def _spec(blueprint_class) -> dict:
    blp = blueprint_class("items", __name__, url_prefix="/items")

    @blp.route("/")
    class Items(MethodView):
        @blp.arguments(ItemIn)
        @blp.response(201, ItemOut)
        @blp.alt_response(409, schema=ErrorSchema, description="taken")
        @blp.alt_response(409, schema=ErrorSchema, description="also taken")
        @blp.alt_response(503, schema=ErrorSchema, headers={
            "Retry-After": {"required": True, "schema": {"type": "integer"}}})
        def post(self, body):
            """Create an item."""
            return {"id": 1, **body}, 201

        @blp.arguments(ItemIn, location="query")
        @blp.response(200, ItemOut(many=True))
        @blp.alt_response(404, schema=ErrorSchema, success=True)
        def get(self, args):
            """List items."""
            return []

    app = Flask(__name__)
    app.config.update(API_TITLE="t", API_VERSION="1", OPENAPI_VERSION="3.0.3")
    api = flask_smorest.Api(app)
    api.register_blueprint(blp)
    return json.loads(json.dumps(api.spec.to_dict(), sort_keys=False)), app


def test_the_openapi_document_is_the_stock_one():
    ours, _ = _spec(Blueprint)
    stock, _ = _spec(flask_smorest.Blueprint)
    post, get = stock["paths"]["/items/"]["post"], stock["paths"]["/items/"]["get"]
    for code in ("400", "413", "415"):  # ours also documents the JSON body's errors
        assert post["responses"].pop(code, None) is None
        post["responses"][code] = ours["paths"]["/items/"]["post"]["responses"][code]
    assert json.dumps(ours, sort_keys=True) == json.dumps(stock, sort_keys=True)
    assert list(ours["paths"]["/items/"]["get"]["responses"]) == list(get["responses"])


def test_views_still_answer_with_their_schemas():
    _, app = _spec(Blueprint)
    client = app.test_client()
    assert client.post("/items/", json={"name": "a"}).get_json() == {"id": 1, "name": "a"}
    assert client.post("/items/", json={}).status_code == 422

