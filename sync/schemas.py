"""Request and response bodies of the sync and photo endpoints (marshmallow 4).

The envelope is strict: unknown fields are refused (marshmallow's default
``RAISE``), ids are strict integers, hashes 64 lowercase hex digits, and a
push carries at most ``PUSH_MAX_MUTATIONS``. A mutation's ``args`` are only
checked to be an object here: they are validated per mutation by
``sync.mutation_args`` so a bad one is *rejected* (and its id consumed)
instead of failing the whole batch and blocking the device's queue.
"""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from .compiled_schema import CompiledSchema
from .fields import BUCKET_PATTERN, Id, Sha256, StrictInt
from .protocol import PROTOCOL, SCHEMA_MAX, schema_window

PUSH_MAX_MUTATIONS = 200
PULL_MAX_LIMIT = 1000
PULL_DEFAULT_LIMIT = 500
PULL_MAX_CURSORS = 2000
QUERY_MAX_HASHES = 500


def protocol_info(*, epoch: str, photo_max_bytes: int) -> dict:
    """The body of ``GET /api/v1/sync/info``: what a device must stay within."""
    return {"protocol": PROTOCOL, "epoch": epoch, "schema": schema_window(),
            "limits": {"push_max_mutations": PUSH_MAX_MUTATIONS,
                       "pull_max_rows": PULL_MAX_LIMIT, "photo_max_bytes": photo_max_bytes,
                       "photo_query_max": QUERY_MAX_HASHES}}


def _schema_version():
    return StrictInt(required=True, validate=validate.Range(min=1, max=SCHEMA_MAX),
                     metadata={"description": "the app's data schema; see GET /sync/info"})


def _epoch():
    return fields.String(allow_none=True, validate=validate.Length(max=64), metadata={
        "description": "the server epoch the device last saw (from any sync answer); "
                       "on a pull, another epoch resets every bucket"})


class MutationSchema(Schema):
    id = StrictInt(required=True, validate=validate.Range(min=1))
    name = fields.String(required=True, validate=validate.Length(min=1, max=64))
    # Checked per mutation (sync.push): a bad clock reading rejects only its mutation.
    client_ts = fields.String(allow_none=True, validate=validate.Length(max=64), metadata={
        "description": "device clock when the mutation was made (ISO-8601 with offset, "
                       "1970-2100); an unusable one rejects the mutation"})
    args = fields.Dict(keys=fields.String(), required=True)


class PushRequestSchema(CompiledSchema):
    protocol = StrictInt(load_default=PROTOCOL, validate=validate.Equal(PROTOCOL))
    client_id = Id(required=True)
    schema_version = _schema_version()
    epoch = _epoch()
    sent_at = fields.String(allow_none=True, validate=validate.Length(max=64),
                            metadata={"description": "device clock when sending (ISO-8601); "
                                                     "the server records the offset"})
    mutations = fields.List(fields.Nested(MutationSchema), required=True,
                            validate=validate.Length(min=1, max=PUSH_MAX_MUTATIONS))

    @validates_schema
    def _consecutive(self, data, **kw):
        ids = [m["id"] for m in data.get("mutations", [])]
        if any(b != a + 1 for a, b in zip(ids, ids[1:])):
            raise ValidationError("mutation ids must be consecutive and ascending",
                                  field_name="mutations")


class RejectionSchema(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True)
    errors = fields.Raw()
    current = fields.Raw()
    allowed = fields.List(fields.String(), metadata={
        "description": "a refused ticket move: the moves allowed from the current state"})
    field = fields.String()
    known = fields.List(fields.String())
    allowed = fields.List(fields.String(), metadata={
        "description": "an illegal or stale move: the moves allowed from `current`"})


class MutationResultSchema(Schema):
    id = fields.Integer(required=True)
    status = fields.String(required=True,
                           validate=validate.OneOf(("applied", "duplicate", "rejected")))
    seq = fields.Integer(allow_none=True)
    original_status = fields.String()
    missing_photos = fields.List(Sha256())
    conflicts = fields.List(fields.Dict())
    error = fields.Nested(RejectionSchema)


class PushResponseSchema(CompiledSchema):
    epoch = fields.String(required=True)
    last_mutation_id = fields.Integer(required=True)
    write_checkpoint = fields.Integer(allow_none=True)
    results = fields.List(fields.Nested(MutationResultSchema), required=True)


class PullRequestSchema(CompiledSchema):
    protocol = StrictInt(load_default=PROTOCOL, validate=validate.Equal(PROTOCOL))
    client_id = Id(required=True)
    schema_version = _schema_version()
    epoch = _epoch()
    cursors = fields.Dict(keys=fields.String(validate=validate.Regexp(BUCKET_PATTERN)),
                          values=StrictInt(validate=validate.Range(min=0)),
                          load_default=dict)
    limit = StrictInt(load_default=PULL_DEFAULT_LIMIT,
                      validate=validate.Range(min=1, max=PULL_MAX_LIMIT))

    @validates_schema
    def _bounded(self, data, **kw):
        if len(data.get("cursors", {})) > PULL_MAX_CURSORS:
            raise ValidationError(f"at most {PULL_MAX_CURSORS} cursors", field_name="cursors")


class ChangeSchema(CompiledSchema):
    seq = fields.Integer(required=True)
    type = fields.String(required=True)
    id = fields.String(required=True)
    v = fields.Integer(allow_none=True)
    op = fields.String(required=True, validate=validate.OneOf(("put", "del")))
    # Raw: the server sends the stored JSON text through as it is (sync.pull)
    data = fields.Raw(allow_none=True, metadata={"type": "object"})


class SegmentSchema(CompiledSchema):
    name = fields.String(required=True)
    cursor = fields.Integer(required=True)
    reset = fields.Boolean(required=True)
    complete = fields.Boolean(required=True)
    changes = fields.List(fields.Nested(ChangeSchema), required=True)


class PullResponseSchema(CompiledSchema):
    epoch = fields.String(required=True)
    last_mutation_id = fields.Integer(required=True)
    high_water = fields.Integer(required=True)
    buckets = fields.List(fields.Nested(SegmentSchema), required=True)
    removed_buckets = fields.List(fields.String(), required=True)
    has_more = fields.Boolean(required=True)


class PhotoQueryRequestSchema(CompiledSchema):
    sha256 = fields.List(Sha256(), required=True,
                         validate=validate.Length(min=1, max=QUERY_MAX_HASHES))


class PhotoStateSchema(Schema):
    state = fields.String(required=True,
                          validate=validate.OneOf(("complete", "partial", "absent")))
    offset = fields.Integer()


class PhotoQueryResponseSchema(Schema):
    photos = fields.Dict(keys=Sha256(), values=fields.Nested(PhotoStateSchema), required=True)


class SchemaWindowSchema(Schema):
    min = fields.Integer(required=True)
    max = fields.Integer(required=True)


class SyncLimitsSchema(Schema):
    push_max_mutations = fields.Integer(required=True)
    pull_max_rows = fields.Integer(required=True)
    photo_max_bytes = fields.Integer(required=True)
    photo_query_max = fields.Integer(required=True)


class SyncInfoSchema(Schema):
    protocol = fields.Integer(required=True)
    epoch = fields.String(required=True)
    schema = fields.Nested(SchemaWindowSchema, required=True)
    limits = fields.Nested(SyncLimitsSchema, required=True)


class SyncErrorSchema(Schema):
    error = fields.String(required=True)
    message = fields.String(required=True)
    expected = fields.Integer(metadata={"description": "409 mutation_gap: the id to send next"})
    offset = fields.Integer(metadata={"description": "upload errors: the current offset"})


__all__ = ["ChangeSchema", "MutationResultSchema", "MutationSchema", "PhotoQueryRequestSchema",
           "PhotoQueryResponseSchema", "PhotoStateSchema", "PullRequestSchema",
           "PullResponseSchema", "PushRequestSchema", "PushResponseSchema", "SegmentSchema",
           "SyncErrorSchema", "SyncInfoSchema", "protocol_info"]
