"""The people card: who someone is and how much they take part."""

from sqlalchemy import func, select

from ..attention.follows import follower_count, follows_person
from ..db import db
from ..models import Comment, Post, User
from ..policing.mutes import mutes


def person_card(person_id, viewer_id):
    """A person's card as a dict for a viewer, or None (five queries)."""
    user = db.session.get(User, person_id)
    if user is None:
        return None
    posts = select(func.count(), func.coalesce(func.sum(Post.like_count), 0)).where(
        Post.author_id == person_id
    )
    comments = select(func.count(), func.coalesce(func.sum(Comment.like_count), 0)).where(
        Comment.author_id == person_id
    )
    (post_count, post_likes), (comment_count, comment_likes) = (
        db.session.execute(posts).one(),
        db.session.execute(comments).one(),
    )
    return {
        "id": user.id,
        "handle": user.handle,
        "name": user.name,
        "title": user.title,
        "department": user.department,
        "avatar_url": user.avatar_url,
        "post_count": post_count,
        "comment_count": comment_count,
        "likes_received": int(post_likes) + int(comment_likes),
        "follower_count": follower_count(person_id),
        "followed_by_me": follows_person(viewer_id, person_id),
        "muted_by_me": mutes(viewer_id, person_id),
        "joined_at": user.created_at,
    }
