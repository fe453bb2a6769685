"""Photos: resumable content-addressed upload (tus 1.0.0) and variant downloads.

The upload is a tus 1.0.0 server with the creation and checksum extensions
(``tus.py``), so any tus client resumes it: ``POST /photos`` with
``Upload-Length`` and ``Upload-Metadata: sha256 <base64>`` creates (or finds)
the upload at ``/photos/<sha256>``; ``HEAD`` tells the offset to resume from,
``PATCH`` appends at ``Upload-Offset`` (409 when the offset is not the
server's, 460 when ``Upload-Checksum`` does not match the chunk, 422 when the
finished file does not hash to its name -- each leaves the upload as ``HEAD``
described it, except the last, which removes the part so the device starts
again). The fieldsync device client may skip the POST: a PATCH carrying
``Upload-Length`` starts the upload itself.
"""
from __future__ import annotations

import re

from flask import Response, current_app, request, send_file, url_for
from werkzeug.routing import BaseConverter
from flask.views import MethodView
from flask_smorest.error_handler import ErrorSchema
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates

from server.auth import current_actor
from server.extensions import get_store
from server.media import get_uploads, get_variants
from server.photos import VARIANTS, DecodeBusy, PhotoRefused
from server.services import photos
from server.uploads import HashMismatch, LengthMismatch, UploadError
from sync import schemas
from sync.fields import Sha256

from . import tus
from .blueprint import Blueprint
from .errors import RETRY_AFTER, error_body
from .sync import ProtocolErrorSchema, protocol_error

blp = Blueprint("photos", __name__, url_prefix="/api/v1/photos",
                description="Photo evidence: resumable upload by sha256 (tus 1.0.0: core, "
                            "creation, checksum; every upload answer carries `Tus-Resumable`, "
                            "`OPTIONS` tells the versions, extensions and limits), and "
                            "derived images.")

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


class TusHeaders(Schema):
    class Meta:
        unknown = EXCLUDE  # a request carries many other headers; only these are ours

    resumable = fields.String(data_key="Tus-Resumable",
                              validate=validate.OneOf([tus.TUS_VERSION]), metadata={
                                  "description": "the tus version the client speaks "
                                                 "(another one gets 412)"})


class UploadHeaders(TusHeaders):
    offset = fields.Integer(data_key="Upload-Offset", required=True, strict=False,
                            validate=validate.Range(min=0))
    # optional headers have no load_default: a default of None would be documented
    # as nullable, and a header reading "null" is no valid value
    length = fields.Integer(data_key="Upload-Length", strict=False,
                            validate=validate.Range(min=1), metadata={
                                "description": "not needed after `POST`; without a `POST` "
                                               "it starts the upload"})
    # Only the shape `<algorithm> <base64>` is checked here (422 naming the
    # header otherwise): tus answers an algorithm it does not support, or a
    # digest of the wrong size, 400 (``server.uploads.parse_checksum``). The
    # documented pattern is what this server takes.
    checksum = fields.String(data_key="Upload-Checksum", validate=validate.Regexp(
        r"^[A-Za-z0-9-]+ [A-Za-z0-9+/]*={0,2}$",
        error="send `<algorithm> <base64 digest of this chunk>`"), metadata={
        "description": "`<sha1|sha256|md5> <base64 digest of this chunk>` (anything else: "
                       "400)",
        "pattern": r"^(sha1 [A-Za-z0-9+/]{27}=|sha256 [A-Za-z0-9+/]{43}=|"
                   r"md5 [A-Za-z0-9+/]{22}==)$"})


class CreationHeaders(TusHeaders):
    length = fields.Integer(data_key="Upload-Length", required=True, strict=False,
                            validate=validate.Range(min=1))
    metadata = tus.UploadMetadata(data_key="Upload-Metadata", required=True, metadata={
        "description": "tus metadata: `sha256 <base64 of the photo's sha256 hex>` (required), "
                       "optionally `filename` and `filetype`, comma-separated"})

    @validates("metadata")
    def _names_the_photo(self, value: dict[str, str], **_) -> None:
        if not re.fullmatch(SHA256_PATTERN, value.get("sha256", "")):
            raise ValidationError("needs `sha256 <base64 of the photo's sha256: "
                                  "64 lowercase hex digits>`")


class VariantArgs(Schema):
    variant = fields.String(load_default="original", validate=validate.OneOf(VARIANTS))
    result = fields.String(load_default=None, validate=validate.Length(max=100), metadata={
        "description": "draw the markup/stamp of this result (default: the first you may see)"})


@blp.route("/query", methods=["POST"])
@blp.auth_required()
@blp.arguments(schemas.PhotoQueryRequestSchema)
@blp.response(200, QueryResponse)
def query(body):
    """Which photos the server has: complete, partial (resume at `offset`) or absent."""
    return {"photos": photos.query(get_store(), get_uploads(), current_actor(),
                                   body["sha256"])}


#: Upload answers' extra headers, for the OpenAPI document.
_OFFSET_HEADER = {"Upload-Offset": {"required": True, "schema": {"type": "integer"}}}
_OUTCOME_HEADERS = {
    "Photo-State": {"schema": {"type": "string", "enum": ["accepted", "refused"]},
                    "description": "once complete: whether the server took the image"},
    "Photo-Refused": {"schema": {"type": "string"},
                      "description": "why it was refused (percent-encoded UTF-8); its bytes "
                                     "are kept as evidence"}}


@blp.route("", methods=["POST"])
class Uploads(MethodView):
    @blp.auth_required()
    @blp.arguments(CreationHeaders, location="headers")
    @blp.response(201, description="The upload is at `Location` (`/api/v1/photos/<sha256>`); "
                  "`Upload-Offset` says how much the server has (creating the same photo "
                  "again resumes it, never duplicates it).",
                  headers={"Location": {"required": True, "schema": {"type": "string"}},
                           **_OFFSET_HEADER})
    @blp.alt_response(412, **tus.version_mismatch_doc())
    @blp.alt_response(413, schema=ProtocolErrorSchema, description="Larger than allowed "
                      "(`Tus-Max-Size`).")
    @blp.alt_response(422, schema=ProtocolErrorSchema, description="Missing or malformed "
                      "`Upload-Length` / `Upload-Metadata`, or a length other than the one "
                      "this photo's upload was started with.")
    def post(self, headers):
        """Create (or find) the upload of a photo: tus creation, addressed by sha256."""
        sha256 = headers["metadata"]["sha256"]
        state = photos.create_upload(get_store(), get_uploads(), current_actor(), sha256,
                                     headers["length"])
        return Response(status=201, headers={
            "Location": url_for("photos.Photo", sha256=sha256),
            "Upload-Offset": str(state.offset)})


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
    @blp.arguments(TusHeaders, location="headers")
    @blp.response(200, description="`Upload-Offset` and `Upload-Length` headers (equal once "
                  "the photo is complete; then `Photo-State` too).",
                  headers={**_OFFSET_HEADER, **_OUTCOME_HEADERS})
    @blp.alt_response(404, description="The server has none of this photo.")
    @blp.alt_response(412, **tus.version_mismatch_doc())
    @blp.alt_response(503, headers=RETRY_AFTER, description="The photo is complete but its "
                      "check waits for room (or storage is unavailable): ask again after "
                      "`Retry-After` seconds.")
    def head(self, _headers, sha256):
        """Where to resume an upload (tus `HEAD`); finishes a check a 503 put off."""
        store = get_store()
        state = photos.upload_status(store, get_uploads(), current_actor(), sha256,
                                     finish_with=get_variants())
        if state.state == "absent":
            return Response(status=404, headers={"Cache-Control": "no-store"})
        headers = {"Upload-Offset": str(state.offset), "Cache-Control": "no-store"}
        if state.length is not None:
            headers["Upload-Length"] = str(state.length)
        if state.state == "complete":
            headers.update(tus.photo_outcome_headers(photos.refusal(store, sha256)))
        return Response(status=200, headers=headers)

    @blp.auth_required()
    @blp.arguments(UploadHeaders, location="headers")
    @blp.doc(requestBody={"required": True, "content": {
        OCTETS: {"schema": {"type": "string", "format": "binary"}}}})
    @blp.response(204, description="Chunk stored; `Upload-Offset` is the new offset. The "
                  "last one also tells `Photo-State` (and `Photo-Refused`).",
                  headers={**_OFFSET_HEADER, **_OUTCOME_HEADERS})
    @blp.alt_response(409, schema=ProtocolErrorSchema, description="Wrong offset (`offset` "
                      "is the server's) or another upload of this photo is running.")
    @blp.alt_response(400, schema=ProtocolErrorSchema, description="Malformed upload values, "
                      "or an `Upload-Checksum` algorithm other than sha1, sha256, md5.")
    @blp.alt_response(404, schema=ProtocolErrorSchema, description="Not a photo name (64 hex "
                      "digits), or no upload of it (`no_upload`): `POST` first, or send "
                      "`Upload-Length`.")
    @blp.alt_response(412, **tus.version_mismatch_doc())
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
            request.stream, request.content_length or 0, upload_length=headers.get("length"),
            chunk_checksum=headers.get("checksum"))
        headers = {"Upload-Offset": str(state.offset)}
        if state.state == "complete":
            refused = record["reason"] if record and record["status"] == "refused" else None
            headers.update(tus.photo_outcome_headers(refused))
        return Response(status=204, headers=headers)


tus.install(blp, {"photos.Uploads", "photos.Photo"},
            max_size=lambda: get_uploads().max_bytes)
