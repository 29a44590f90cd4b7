"""Pictures: upload one, get back its sizes and URLs; attach it to a post or comment by id."""

import re

from flask import current_app, g, request
from werkzeug.exceptions import RequestEntityTooLarge

from .. import media
from ..db import db
from ..errors import ApiError
from ..idempotency import idempotent
from ..images import ImageRejected, process_image
from ..schemas import UploadSchema
from ..sessions import login_required
from . import bp, doc

_HOSTILE_NAME = re.compile(r"[/\\\x00-\x1f\x7f]|^\.\.?$")


def _check_quota(incoming=0):
    config = current_app.config
    media.check_quota(g.user, config["CHATTER_UPLOADS_PER_HOUR"],
                      config["CHATTER_UPLOAD_BYTES_PER_DAY"], incoming)


def _read_picture():
    """Decode and re-encode the multipart field `file` (413 / 415 / 422 with the reason)."""
    if request.mimetype != "multipart/form-data":
        raise ApiError(415, "Send the picture as multipart/form-data in the field `file`.",
                       code="unsupported_media_type")
    try:
        file = request.files.get("file")
    except RequestEntityTooLarge:
        raise ApiError(413, "The picture is larger than 10 MiB; send a smaller one.",
                       code="file_too_large", errors={"file": ["Larger than 10 MiB."]}) from None
    if file is None:
        raise ApiError(422, "Attach the picture in the multipart field `file`.", code="invalid",
                       errors={"file": ["Missing picture."]})
    if _HOSTILE_NAME.search(file.filename or ""):
        # Browsers send a bare name; paths and control characters only come from tools
        # probing for traversal. The name is never used, but such a request is refused.
        raise ApiError(400, "The file name must not contain a path or control characters.",
                       code="bad_file_name", errors={"file": ["Invalid file name."]})
    try:
        return process_image(file.read())  # the client's file name and type are never used
    except ImageRejected as error:
        raise ApiError(error.status, error.detail, code=error.code,
                       errors={"file": [error.detail]}) from None


@idempotent
def _record(picture):
    _check_quota(len(picture.large.data) + len(picture.thumbnail.data))  # exact, under the lock
    upload = media.record_upload(g.user, picture)
    return UploadSchema().dump(upload), 201


@bp.post("/uploads")
@doc(response=UploadSchema, status=201)
@login_required
def create_upload():
    """Upload a picture: multipart/form-data, the image in the field `file` (at most 10 MiB).

    JPEG, PNG, GIF or WebP; it is decoded and re-encoded (metadata removed, orientation
    applied, animations reduced to their first frame). Attach the returned id to a post or
    comment with `images`; pictures not attached within a day are deleted.
    """
    request.max_content_length = current_app.config["CHATTER_UPLOAD_MAX_CONTENT_LENGTH"]
    _check_quota()
    # Decoding takes a while: end the transaction authentication opened, so SQLite's write
    # lock (BEGIN IMMEDIATE) is not held meanwhile. The write transaction starts after it.
    db.session.rollback()
    picture = _read_picture()
    return _record(picture)
