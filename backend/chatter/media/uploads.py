"""Pictures as records: quota, recording an upload, attaching it, deleting and cleaning up."""

import math
from datetime import timedelta

from sqlalchemy import delete, func, or_, select

from ..db import db
from ..errors import ApiError
from ..models import Comment, Upload, utcnow
from .storage import delete_after_commit, get_storage, new_key, save_in_transaction

HOUR, DAY = timedelta(hours=1), timedelta(days=1)
UNATTACHED_TTL = timedelta(hours=24)


def _retry_after(oldest, window, now):
    return max(1, math.ceil((oldest + window - now).total_seconds()))


def check_quota(user, per_hour, bytes_per_day, incoming=0):
    """Raise 429 with Retry-After when `user` uploaded too many pictures or bytes lately."""
    now = utcnow()
    count, oldest = db.session.execute(
        select(func.count(), func.min(Upload.created_at)).where(
            Upload.owner_id == user.id, Upload.created_at > now - HOUR
        )
    ).one()
    if count >= per_hour:
        raise ApiError(
            429,
            f"You uploaded {count} pictures in the last hour, the most we take. "
            "Try again a little later.",
            code="upload_rate_limited",
            headers={"Retry-After": str(_retry_after(oldest, HOUR, now))},
        )
    used, oldest = db.session.execute(
        select(func.coalesce(func.sum(Upload.size), 0), func.min(Upload.created_at)).where(
            Upload.owner_id == user.id, Upload.created_at > now - DAY
        )
    ).one()
    if used + incoming > bytes_per_day:
        raise ApiError(
            429,
            "You reached today's picture allowance of "
            f"{bytes_per_day // (1024 * 1024)} MiB. Try again tomorrow.",
            code="upload_quota_exceeded",
            headers={"Retry-After": str(_retry_after(oldest or now, DAY, now))},
        )


def record_upload(owner, picture):
    """Store a processed Picture's files and add its row; the caller commits."""
    upload = Upload(
        owner_id=owner.id,
        key=new_key(),
        content_type=picture.content_type,
        width=picture.large.width,
        height=picture.large.height,
        thumbnail_width=picture.thumbnail.width,
        thumbnail_height=picture.thumbnail.height,
        size=len(picture.large.data) + len(picture.thumbnail.data),
        created_at=utcnow(),
    )
    save_in_transaction(upload.name, picture.large.data, picture.content_type)
    save_in_transaction(upload.thumbnail_name, picture.thumbnail.data, picture.content_type)
    db.session.add(upload)
    db.session.flush()
    return upload


def claim_images(owner, refs):
    """The owner's unattached uploads for [{"id", "alt"}], in order, or 422 per bad entry.

    The rows are locked (PostgreSQL) so two posts racing for one picture cannot both get it.
    """
    if not refs:
        return []
    ids = [ref["id"] for ref in refs]
    found = {
        upload.id: upload
        for upload in db.session.scalars(select(Upload).where(Upload.id.in_(ids)).with_for_update())
    }
    errors = {}
    for index, ref in enumerate(refs):
        upload = found.get(ref["id"])
        if upload is None or upload.owner_id != owner.id:
            errors[f"images.{index}"] = ["No such upload of yours."]
        elif upload.post_id is not None or upload.comment_id is not None:
            errors[f"images.{index}"] = ["This picture is already used elsewhere."]
        elif ids.index(ref["id"]) != index:
            errors[f"images.{index}"] = ["The same picture twice."]
    if errors:
        raise ApiError(422, "Some pictures cannot be attached.", code="invalid", errors=errors)
    uploads = []
    for position, ref in enumerate(refs):
        upload = found[ref["id"]]
        upload.position, upload.alt = position, ref.get("alt") or None
        uploads.append(upload)
    return uploads


def _delete_files_of(uploads_query):
    names = []
    for upload in db.session.scalars(uploads_query):
        names += [upload.name, upload.thumbnail_name]
    delete_after_commit(names)


def delete_files_of_post(post_id):
    """After commit, delete the files of a post's pictures and of its comments' pictures."""
    in_comments = select(Comment.id).where(Comment.post_id == post_id)
    _delete_files_of(
        select(Upload).where(or_(Upload.post_id == post_id, Upload.comment_id.in_(in_comments)))
    )


def delete_files_of_comment(comment_id):
    """After commit, delete the files of a comment's pictures and of its replies' pictures."""
    thread = select(Comment.id).where(
        or_(Comment.id == comment_id, Comment.parent_id == comment_id)
    )
    _delete_files_of(select(Upload).where(Upload.comment_id.in_(thread)))


def delete_pictures_of(post_id=None, comment_id=None):
    """Delete one post's (not its comments') or one comment's pictures; files after commit."""
    column, owner = (
        (Upload.comment_id, comment_id) if comment_id is not None else (Upload.post_id, post_id)
    )
    _delete_files_of(select(Upload).where(column == owner))
    db.session.execute(delete(Upload).where(column == owner))


def cleanup_unattached(older_than=UNATTACHED_TTL):
    """Delete uploads never attached within `older_than`, and stray files; commit.

    Returns (uploads removed, stray files removed). Stray files are ones without a row (a
    process that died between writing a file and committing its row).
    """
    cutoff = utcnow() - older_than
    unattached = (Upload.post_id.is_(None), Upload.comment_id.is_(None))
    stale = {
        upload.id: upload
        for upload in db.session.scalars(
            select(Upload).where(*unattached, Upload.created_at < cutoff)
        )
    }
    # The DELETE re-checks "unattached": a picture attached meanwhile is kept (on PostgreSQL
    # the row lock of the attaching transaction makes this statement wait and re-check).
    removed = (
        list(
            db.session.scalars(
                delete(Upload).where(Upload.id.in_(list(stale)), *unattached).returning(Upload.id)
            )
        )
        if stale
        else []
    )
    delete_after_commit(
        [name for id_ in removed for name in (stale[id_].name, stale[id_].thumbnail_name)]
    )
    db.session.commit()
    storage = get_storage()
    old_files = {}
    for name, modified in storage.names():
        if modified < cutoff:
            old_files.setdefault(name.split(".", 1)[0], []).append(name)
    keys = list(old_files)
    known = set()
    for start in range(0, len(keys), 500):
        known.update(
            db.session.scalars(select(Upload.key).where(Upload.key.in_(keys[start : start + 500])))
        )
    db.session.rollback()
    stray = [name for key in keys if key not in known for name in old_files[key]]
    for name in stray:
        storage.delete(name)
    return len(removed), len(stray)
