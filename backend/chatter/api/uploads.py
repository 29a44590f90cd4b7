"""Pictures: upload one, get back its sizes and URLs; attach it to a post or comment by id."""

import re
from contextlib import contextmanager
from functools import wraps

from flask import Blueprint, current_app, g, request
from werkzeug.exceptions import RequestEntityTooLarge

from .. import limits
from ..auth import login_required
from ..db import db
from ..errors import ApiError
from ..idempotency import idempotent
from ..media import admission, uploads
from ..media.images import ImageRejected, process_image
from ..openapi import doc
from ..schemas import UploadSchema

bp = Blueprint("uploads", __name__)
_HOSTILE_NAME = re.compile(r"[/\\\x00-\x1f\x7f]|^\.\.?$")
_MIB = f"{limits.UPLOAD_BYTES // (1024 * 1024)} MiB"


def _picture_form(view):
    """Read this route's multipart form with room for one picture (413 with the reason)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if request.mimetype != "multipart/form-data":
            raise ApiError(
                415,
                "Send the picture as multipart/form-data in the field `file`.",
                code="unsupported_media_type",
            )
        request.max_content_length = current_app.config["CHATTER_UPLOAD_MAX_CONTENT_LENGTH"]
        try:
            request.files  # noqa: B018 - parse now, within this route's body limit
        except RequestEntityTooLarge:
            detail = f"The picture is larger than {_MIB}; send a smaller one."
            raise ApiError(
                413, detail, code="file_too_large", errors={"file": [f"Larger than {_MIB}."]}
            ) from None
        return view(*args, **kwargs)

    return wrapper


def _check_quota(incoming=0):
    config = current_app.config
    uploads.check_quota(
        g.reader,
        config["CHATTER_UPLOADS_PER_HOUR"],
        config["CHATTER_UPLOAD_BYTES_PER_DAY"],
        incoming,
    )


def _decode_picture():
    """Decode and re-encode the multipart field `file` (422 / 415 / 413 with the reason)."""
    file = request.files.get("file")
    if file is None:
        raise ApiError(
            422,
            "Attach the picture in the multipart field `file`.",
            code="invalid",
            errors={"file": ["Missing picture."]},
        )
    if _HOSTILE_NAME.search(file.filename or ""):
        # Browsers send a bare name; paths and control characters only come from tools
        # probing for traversal. The name is never used, but such a request is refused.
        raise ApiError(
            400,
            "The file name must not contain a path or control characters.",
            code="bad_file_name",
            errors={"file": ["Invalid file name."]},
        )
    try:
        return process_image(file.read())  # the client's file name and type are never used
    except ImageRejected as error:
        raise ApiError(
            error.status, error.detail, code=error.code, errors={"file": [error.detail]}
        ) from None


@bp.post("/uploads")
@doc(response=UploadSchema, status=201)
@login_required
@_picture_form
@idempotent
def create_upload():
    """Upload a picture: multipart/form-data, the image in the field `file` (at most 10 MiB).

    JPEG, PNG, GIF or WebP; it is decoded and re-encoded (metadata removed, orientation
    applied, animations reduced to their first frame). Attach the returned id to a post or
    comment with `images`; pictures not attached within a day are deleted. One picture of a
    person is processed at a time (a second one meanwhile: 429); a busy server says 503.
    """
    with _upload_slot() as slot:
        with admission.decode_gate().turn():
            picture = _decode_picture()
        _check_quota(len(picture.large.data) + len(picture.thumbnail.data))  # exact
        upload = uploads.record_upload(g.reader, picture)
        admission.release_slot(g.reader, slot)  # with the row: the quota counts it once
        return UploadSchema().dump(upload), 201


@contextmanager
def _upload_slot():
    """Admit this upload: take the person's slot and check the quota, committed before decoding.

    The commit ends the transaction, so SQLite's write lock is not held while decoding, and
    every process sees the slot. While it is held no other upload of this person can commit,
    so the quota read here counts everything in flight. A refused or failed upload gives the
    slot back; a successful one gives it back in the transaction that records the picture.
    """
    slot = admission.take_slot(g.reader)
    _check_quota()
    db.session.commit()
    try:
        yield slot
    except BaseException:
        db.session.rollback()
        admission.release_slot(g.reader, slot)
        db.session.commit()
        raise
