"""The tus 1.0.0 protocol around the photo upload routes (core, creation, checksum).

Why a module of its own: the headers every tus answer carries, version
negotiation, discovery and ``Upload-Metadata`` are protocol plumbing, the
same for every upload route; the routes in ``photos.py`` stay about photos.
See https://tus.io/protocols/resumable-upload (the 1.0.x text).
"""
from __future__ import annotations

import base64
import binascii
from typing import Callable
from urllib.parse import quote

from flask import Response, request
from marshmallow import ValidationError, fields

from server.uploads import CHECKSUM_ALGORITHMS

TUS_VERSION = "1.0.0"
TUS_EXTENSIONS = "creation,checksum"
#: Sent with every upload answer; a client reading it knows how to talk to us.
TUS_RESUMABLE = {"Tus-Resumable": TUS_VERSION}
#: Methods whose requests speak tus (a photo's GET is a plain download).
TUS_METHODS = frozenset({"POST", "HEAD", "PATCH", "OPTIONS"})


def discovery_headers(max_size: int) -> dict[str, str]:
    """What an ``OPTIONS`` answer tells a tus client about this server."""
    return {"Tus-Version": TUS_VERSION, "Tus-Extension": TUS_EXTENSIONS,
            "Tus-Checksum-Algorithm": ",".join(CHECKSUM_ALGORITHMS),
            "Tus-Max-Size": str(max_size)}


def install(blp, endpoints: set[str], max_size: Callable[[], int]) -> None:
    """Make the blueprint's ``endpoints`` answer as a tus 1.0.0 server.

    A request naming another ``Tus-Resumable`` version gets 412 with the
    version we speak. One without the header is served: the fieldsync
    device client before tus did not send it, and phones in the field keep
    old versions for months.
    """
    def speaks_tus() -> bool:
        return request.endpoint in endpoints and request.method in TUS_METHODS

    @blp.before_request
    def _check_version():
        if not speaks_tus() or request.method == "OPTIONS":
            return None  # discovery needs no version (tus: OPTIONS carries none)
        asked = request.headers.get("Tus-Resumable")
        if asked is not None and asked != TUS_VERSION:
            return Response(status=412, headers={**TUS_RESUMABLE, "Tus-Version": TUS_VERSION})
        return None

    @blp.after_request
    def _tus_headers(response):
        if request.endpoint in endpoints:
            response.headers.update(TUS_RESUMABLE)
            if request.method == "OPTIONS":
                response.status_code = 204
                response.headers.update(discovery_headers(max_size()))
        return response


def parse_metadata(header: str) -> dict[str, str]:
    """``Upload-Metadata``: comma-separated ``key base64(value)`` pairs -> a dict.

    Raises ValueError naming what is wrong; a key without a value is "".
    """
    pairs: dict[str, str] = {}
    for item in header.split(","):
        key, _, encoded = item.strip().partition(" ")
        if not key:
            raise ValueError("an empty key (pairs are `key base64value`, comma-separated)")
        if key in pairs:
            raise ValueError(f"key {key!r} appears twice")
        try:
            pairs[key] = base64.b64decode(encoded.strip(), validate=True).decode()
        except (binascii.Error, ValueError):
            raise ValueError(f"the value of {key!r} is not base64 of UTF-8 text") from None
    return pairs


class UploadMetadata(fields.String):
    """The ``Upload-Metadata`` header, loaded as a dict of its decoded pairs."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return parse_metadata(text)
        except ValueError as bad:
            raise ValidationError(str(bad)) from None


def photo_outcome_headers(refused: str | None) -> dict[str, str]:
    """How a complete upload tells a tus client whether the server took the image.

    A 204 has no body, and a refusal is no failed upload (the bytes are kept
    as evidence): ``Photo-State`` says accepted or refused, ``Photo-Refused``
    the reason, percent-encoded UTF-8 (reasons may be Chinese; headers are
    Latin-1).
    """
    if refused is None:
        return {"Photo-State": "accepted"}
    return {"Photo-State": "refused", "Photo-Refused": quote(refused, safe=" ")}


def version_mismatch_doc() -> dict:
    """The OpenAPI shape of the 412 every tus request may get."""
    return {"description": f"`Tus-Resumable` names a version other than {TUS_VERSION} "
                           "(`Tus-Version` lists ours).",
            "headers": {"Tus-Version": {"required": True, "schema": {"type": "string"}}}}


__all__ = ["TUS_VERSION", "TUS_RESUMABLE", "UploadMetadata", "discovery_headers", "install",
           "parse_metadata", "photo_outcome_headers", "version_mismatch_doc"]
