"""Photos: resumable content-addressed upload (tus-like) and variant downloads.

Upload headers follow tus so the protocol stays recognisable: ``HEAD`` tells
the offset to resume from, ``PATCH`` appends at ``Upload-Offset`` (409 when
the offset is not the server's, 460 when ``Upload-Checksum`` does not match
the chunk, 422 when the finished file does not hash to its name -- each
leaves the upload as ``HEAD`` described it, except the last, which removes
the part so the device starts again).
"""
from __future__ import annotations

from flask import Response, current_app, request, send_file
from werkzeug.routing import BaseConverter
from flask.views import MethodView
from flask_smorest.error_handler import ErrorSchema
from marshmallow import EXCLUDE, Schema, fields, validate

from server.auth import current_actor
from server.extensions import get_store
from server.media import get_uploads, get_variants
from server.photos import VARIANTS, DecodeBusy, PhotoRefused
from server.services import photos
from server.uploads import HashMismatch, LengthMismatch, UploadError
from sync import schemas
from sync.fields import Sha256

from .blueprint import Blueprint
from .errors import RETRY_AFTER, error_body
from .sync import ProtocolErrorSchema, protocol_error

blp = Blueprint("photos", __name__, url_prefix="/api/v1/photos",
                description="Photo evidence: resumable upload by sha256, and derived images.")

OCTETS = "application/offset+octet-stream"
#: Sent with every photo file: the bytes are whatever a device uploaded, so a
#: browser must neither guess another type from them nor run anything they hold.
DOWNLOAD_HEADERS = {"X-Content-Type-Options": "nosniff",
                    "Content-Security-Policy": "default-src 'none'; sandbox"}
SHA256_PATTERN = "[0-9a-f]{64}"


class Sha256Converter(BaseConverter):
    """``<sha256:name>``: a photo's name is 64 lowercase hex digits, nothing else.

    Matching in the route (not in the view) keeps ``/photos/query`` from also
    being read as a photo called "query".
    """

    regex = SHA256_PATTERN


def init_api(app, api) -> None:
    """Register the path converter with Flask and document it in OpenAPI."""
    app.url_map.converters["sha256"] = Sha256Converter
    api.register_converter(Sha256Converter, lambda _: {
        "type": "string", "pattern": f"^{SHA256_PATTERN}$"})


#: Where in the request each 422 upload error lies, so the body names it.
_WRONG_PART = {HashMismatch: ("body", "bytes"), LengthMismatch: ("headers", "Upload-Length")}


@blp.app_errorhandler(UploadError)
def _upload_error(error: UploadError):
    body, status = protocol_error(error.status, error)
    if type(error) in _WRONG_PART:
        location, field = _WRONG_PART[type(error)]
        body["errors"] = {location: {field: [str(error)]}}
    return body, status


@blp.app_errorhandler(DecodeBusy)
def _decode_busy(error: DecodeBusy):
    """The decode budget stayed spent: nothing is lost (a published photo is
    checked when the same request is retried), so say when to come back."""
    return ({**error_body(503, str(error)), "error": "decode_busy"}, 503,
            {"Retry-After": str(error.retry_after)})


class PhotoState(schemas.PhotoStateSchema):
    refused = fields.String(metadata={"description": "complete, but refused as an image: why"})


class QueryResponse(Schema):
    photos = fields.Dict(keys=Sha256(), values=fields.Nested(PhotoState), required=True)


class UploadHeaders(Schema):
    class Meta:
        unknown = EXCLUDE  # a request carries many other headers; only these are ours

    offset = fields.Integer(data_key="Upload-Offset", required=True, strict=False,
                            validate=validate.Range(min=0))
    length = fields.Integer(data_key="Upload-Length", required=True, strict=False,
                            validate=validate.Range(min=1))
    checksum = fields.String(data_key="Upload-Checksum", load_default=None,
                             validate=validate.Regexp(r"^sha256 [A-Za-z0-9+/]{43}=$"),
                             metadata={"description": "`sha256 <base64 digest of this chunk>`"})


class VariantArgs(Schema):
    variant = fields.String(load_default="original", validate=validate.OneOf(VARIANTS))
    result = fields.String(load_default=None, validate=validate.Length(max=100), metadata={
        "description": "draw the markup/stamp of this result (default: the first you may see)"})


class CompleteBody(Schema):
    state = fields.String(required=True)
    offset = fields.Integer(required=True)
    refused = fields.String(metadata={"description": "why the server refused the image "
                                                     "(its bytes are kept as evidence)"})


@blp.route("/query", methods=["POST"])
@blp.auth_required()
@blp.arguments(schemas.PhotoQueryRequestSchema)
@blp.response(200, QueryResponse)
def query(body):
    """Which photos the server has: complete, partial (resume at `offset`) or absent."""
    return {"photos": photos.query(get_store(), get_uploads(), current_actor(),
                                   body["sha256"])}


@blp.route("/<sha256:sha256>")
class Photo(MethodView):
    @blp.auth_required()
    @blp.arguments(VariantArgs, location="query")
    @blp.response(200, description="The image (JPEG for derived variants); Range supported.")
    @blp.alt_response(404, schema=ErrorSchema, description="No such photo you may see.")
    @blp.alt_response(422, schema=ErrorSchema, description="The image was refused, or the "
                      "variant needs markup the result does not have.")
    @blp.alt_response(503, schema=ProtocolErrorSchema, headers=RETRY_AFTER,
                      description="The server is decoding other photos (or storage is "
                      "unavailable); retry after `Retry-After` seconds.")
    def get(self, args, sha256):
        """Download the original or a derived copy (ETag, immutable caching, Range)."""
        try:
            found = photos.variant(get_store(), get_uploads(), get_variants(),
                                   current_actor(), sha256, args["variant"],
                                   args["result"],
                                   default_timezone=current_app.config["DEFAULT_TIMEZONE"])
        except PhotoRefused as refused:
            return error_body(422, refused.reason), 422
        response = send_file(found.path, mimetype=found.media_type, conditional=True,
                             etag=found.etag, max_age=31536000)
        response.headers["Cache-Control"] = "private, max-age=31536000, immutable"
        response.headers.update(DOWNLOAD_HEADERS)
        return response

    @blp.auth_required()
    @blp.response(200, description="`Upload-Offset` and `Upload-Length` headers.")
    @blp.alt_response(404, description="The server has none of this photo.")
    def head(self, sha256):
        """Where to resume an upload."""
        state = photos.upload_status(get_store(), get_uploads(), current_actor(), sha256)
        if state.state == "absent":
            return Response(status=404)
        headers = {"Upload-Offset": str(state.offset), "Cache-Control": "no-store"}
        if state.length is not None:
            headers["Upload-Length"] = str(state.length)
        return Response(status=200, headers=headers)

    @blp.auth_required()
    @blp.arguments(UploadHeaders, location="headers")
    @blp.doc(requestBody={"required": True, "content": {
        OCTETS: {"schema": {"type": "string", "format": "binary"}}}})
    @blp.response(204, description="Chunk stored; `Upload-Offset` is the new offset.")
    @blp.alt_response(200, schema=CompleteBody, description="The photo is complete.")
    @blp.alt_response(409, schema=ProtocolErrorSchema, description="Wrong offset (`offset` "
                      "is the server's) or another upload of this photo is running.")
    @blp.alt_response(400, schema=ProtocolErrorSchema, description="Malformed upload values.")
    @blp.alt_response(404, schema=ErrorSchema, description="Not a photo name (64 hex digits).")
    @blp.alt_response(413, schema=ProtocolErrorSchema, description="Larger than allowed.")
    @blp.alt_response(415, schema=ErrorSchema, description=f"Send the chunk as {OCTETS}.")
    @blp.alt_response(422, schema=ProtocolErrorSchema, description="The finished file does "
                      "not hash to its name (the part was removed), or bad headers.")
    @blp.alt_response(460, schema=ProtocolErrorSchema,
                      description="The chunk does not match `Upload-Checksum`; not stored.")
    @blp.alt_response(503, schema=ProtocolErrorSchema, headers=RETRY_AFTER,
                      description="The photo is stored but the server is decoding others "
                      "(or storage is unavailable): send the same request again after "
                      "`Retry-After` seconds.")
    def patch(self, headers, sha256):
        """Append a chunk at `Upload-Offset`; the last one publishes the verified photo."""
        if request.mimetype != OCTETS:
            return error_body(415, f"send the chunk as {OCTETS}"), 415
        state, record = photos.receive_chunk(
            get_store(), get_uploads(), get_variants(), current_actor(), sha256,
            headers["offset"],
            request.stream, request.content_length or 0, upload_length=headers["length"],
            chunk_checksum=headers["checksum"])
        if state.state == "complete":
            body = {"state": "complete", "offset": state.offset}
            if record is not None and record["status"] == "refused":
                body["refused"] = record["reason"]
            return CompleteBody().dump(body), 200
        return Response(status=204, headers={"Upload-Offset": str(state.offset)})
