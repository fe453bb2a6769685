"""Review and re-inspection as the API shows them (``checklists.workflow``)."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from checklists.workflow.review import MAX_REASON, STATES

from .scoring import ScoreReportOut


class ReviewIn(Schema):
    from_ = fields.String(required=True, data_key="from", validate=validate.OneOf(STATES),
                          metadata={"description": "the state you saw (a stale one gets 409)"})
    to = fields.String(required=True, validate=validate.OneOf(STATES))
    reason = fields.String(allow_none=True, validate=validate.Length(max=MAX_REASON),
                           metadata={"description": "why; required to reject"})


class ReviewEntryOut(Schema):
    """One move, never changed once written: who, when, from, to, why, through which door."""

    at = fields.String(required=True)
    by = fields.String(required=True, metadata={"description": "user id"})
    username = fields.String(allow_none=True)
    role = fields.String(required=True)
    from_ = fields.String(required=True, data_key="from", attribute="from")
    to = fields.String(required=True)
    reason = fields.String(allow_none=True)
    via = fields.String(required=True, metadata={"description": "session | token | sync"})
    device_id = fields.String()
    mutation = fields.String(metadata={"description": "<client_id>#<mutation id> of a sync"})


class ReviewOut(Schema):
    state = fields.String(required=True)
    log = fields.List(fields.Nested(ReviewEntryOut), required=True)
    allowed = fields.List(fields.String(), metadata={"description": "moves possible now"})


class ReviewedOut(Schema):
    id = fields.String(required=True)
    review = fields.Nested(ReviewOut, required=True)


class ReinspectionOut(Schema):
    """On a re-inspection: the result it re-checks, which round, the answers as sent."""

    of = fields.String(required=True)
    round = fields.Integer(required=True)
    rechecked = fields.Dict(required=True)


class ScoreNumbersOut(Schema):
    total = fields.Float(allow_none=True)
    max = fields.Float(allow_none=True)
    percent = fields.Float(allow_none=True)
    band = fields.String(allow_none=True)


class RectificationRoundOut(ScoreNumbersOut):
    """One re-inspection and the score after it (as recorded when it arrived)."""

    round = fields.Integer(required=True)
    result_id = fields.String(required=True)
    at = fields.String(required=True)
    by = fields.String(required=True)
    role = fields.String(required=True)
    open_items = fields.Integer(required=True)


class RectificationOut(Schema):
    """On an original: its score at inspection and after the latest re-inspection."""

    rounds = fields.List(fields.Nested(RectificationRoundOut), required=True)
    latest = fields.String(required=True)
    score_at_inspection = fields.Nested(ScoreNumbersOut, required=True)
    score_after = fields.Nested(ScoreReportOut, required=True)
    open_items = fields.List(fields.Dict(), required=True)
    closed_out = fields.Boolean(required=True, metadata={"description": "消项: no failed item "
                                                                         "remains"})
