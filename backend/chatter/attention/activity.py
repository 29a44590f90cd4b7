"""Comments on followed conversations, told on read: one unread group per conversation.

A follower's unread activity in a conversation is its comments after their `seen_at`
(PostFollow), by others they did not mute, that did not already reach them as a mention or a
reply. Nothing is
written per follower when someone comments; the inbox, the unread count and the live stream
work it out for the reader. Such a group is listed while unread, with the id −post_id ("Bob
and 2 others commented on a conversation you follow"); reading moves `seen_at`.
"""

from sqlalchemy import and_, bindparam, exists, func, select, update

from ..db import db
from ..models import Comment, Context, Post, User, utcnow
from ..policing.models import PersonMute
from .items import contexts_of, item, unread_count
from .models import Notification, PageFollow, PersonFollow, PostFollow

MAX_COMMENTS = 2000  # unread comments read for one person's groups, newest first
SHOWN_ACTORS = 3
_READER = bindparam("reader")
_told_directly = exists().where(
    Notification.post_id == Comment.post_id,
    Notification.comment_id == Comment.id,
    Notification.recipient_id == _READER,
)
_muted_author = exists().where(
    PersonMute.muter_id == _READER, PersonMute.person_id == Comment.author_id
)
_followed_with_news = and_(
    PostFollow.user_id == _READER,
    PostFollow.following.is_(True),
    Post.last_activity_at > PostFollow.seen_at,
)


def _unread_comments(*columns):
    """SELECT columns over the reader's unread comments in the conversations they follow."""
    return (
        select(*columns)
        .select_from(PostFollow)
        .join(Post, Post.id == PostFollow.post_id)
        .join(
            Comment,
            and_(
                Comment.post_id == PostFollow.post_id,
                Comment.created_at > PostFollow.seen_at,
                Comment.author_id != _READER,
            ),
        )
        .where(_followed_with_news, ~_told_directly, ~_muted_author)
    )


_UNREAD_COMMENTS = (
    _unread_comments(
        Comment.post_id,
        Comment.id,
        Comment.created_at,
        Comment.body,
        User.id.label("author_id"),
        User.name,
        User.avatar_url,
    )
    .join(User, User.id == Comment.author_id)
    .order_by(Comment.created_at.desc(), Comment.id.desc())
    .limit(MAX_COMMENTS)
)
_UNREAD_CONVERSATIONS = _unread_comments(func.count(func.distinct(Comment.post_id)))


def group_id(post_id):
    """The id of a conversation's activity group: negative, apart from stored ones."""
    return -post_id


def activity_groups(reader_id):
    """The reader's unread activity groups: [(newest comment's time, item)], newest first."""
    comments = db.session.execute(_UNREAD_COMMENTS, {"reader": reader_id}).all()
    groups = {}
    for row in comments:  # newest first
        group = groups.setdefault(row.post_id, {"rows": [], "actors": {}})
        group["rows"].append(row)
        group["actors"].setdefault(row.author_id, row)
    contexts = contexts_of(list(groups))
    items = []
    for post_id, group in groups.items():
        newest, earliest = group["rows"][0], group["rows"][-1]
        actors = list(group["actors"].values())
        items.append(
            (
                newest.created_at,
                item(
                    id=group_id(post_id),
                    kind="comment",
                    created_at=newest.created_at,
                    read=False,
                    actors=[_actor(row) for row in actors[:SHOWN_ACTORS]],
                    actor_count=len(actors),
                    post_id=post_id,
                    comment_id=earliest.id,  # open the conversation where the news starts
                    excerpt=newest.body,
                    context=contexts.get(post_id),
                ),
            )
        )
    return items


def _actor(row):
    return {"id": row.author_id, "name": row.name, "avatar_url": row.avatar_url}


def unread_total(reader_id):
    """The bell's count: unread stored notifications and conversations with unread comments."""
    return unread_count(reader_id) + unread_conversations(reader_id)


def unread_conversations(reader_id):
    """How many conversations the reader follows have unread comments (one query)."""
    return db.session.scalar(_UNREAD_CONVERSATIONS, {"reader": reader_id}) or 0


def mark_seen(reader_id, post_ids=None):
    """Move the reader's `seen_at` to now in these conversations (None: every one with news);
    how many had news."""
    has_news = (
        select(Post.id)
        .where(Post.id == PostFollow.post_id, Post.last_activity_at > PostFollow.seen_at)
        .exists()
    )
    where = [PostFollow.user_id == reader_id, has_news]
    if post_ids is not None:
        where.append(PostFollow.post_id.in_(post_ids))
    statement = update(PostFollow).where(*where).values(seen_at=utcnow())
    return db.session.execute(statement.execution_options(synchronize_session=False)).rowcount


def clear_news(post_id):
    """A conversation is being deleted or removed: its followers' news in it ends (their
    `seen_at` moves to now); the followers who had any (comments by others they had not
    seen), whose group −post_id leaves their bell."""
    had = (
        select(PostFollow.user_id)
        .join(Post, Post.id == PostFollow.post_id)
        .where(
            PostFollow.post_id == post_id,
            PostFollow.following.is_(True),
            Post.last_activity_at > PostFollow.seen_at,
            exists().where(
                Comment.post_id == post_id,
                Comment.created_at > PostFollow.seen_at,
                Comment.author_id != PostFollow.user_id,
            ),
        )
    )
    readers = list(db.session.scalars(had))
    if readers:
        statement = (
            update(PostFollow)
            .where(PostFollow.post_id == post_id, PostFollow.user_id.in_(readers))
            .values(seen_at=utcnow())
        )
        db.session.execute(statement.execution_options(synchronize_session=False))
    return readers


# ---- live ----------------------------------------------------------------------------------


def live_variants(rows, user_ids):
    """{index of a row: (people among `user_ids` to tell, what their frame adds)}.

    For the live stream, so an event keeps one id and its place: a comment's followers get its
    frame with their activity item as `notification`; a new post's readers who follow its
    author or its page get it with `"following": true` (their Following feed takes it).
    """
    variants = _comment_variants(rows, user_ids)
    variants.update(_post_variants(rows, user_ids))
    return variants


def _post_variants(rows, user_ids):
    """New posts by people or on pages the readers follow (two queries per batch with posts)."""
    posts = [(i, row) for i, row in enumerate(rows) if row.type == "post.created"]
    if not posts or not user_ids:
        return {}
    readers = sorted(user_ids)
    authors = sorted({row.data["author"]["id"] for _, row in posts})
    by_author = {}
    for person_id, follower_id in db.session.execute(
        select(PersonFollow.person_id, PersonFollow.follower_id).where(
            PersonFollow.person_id.in_(authors), PersonFollow.follower_id.in_(readers)
        )
    ):
        by_author.setdefault(person_id, set()).add(follower_id)
    keys = sorted({row.context_key for _, row in posts if row.context_key})
    by_page = {}
    if keys:
        for key, user_id in db.session.execute(
            select(Context.key, PageFollow.user_id)
            .join(PageFollow, PageFollow.context_id == Context.id)
            .where(Context.key.in_(keys), PageFollow.user_id.in_(readers))
        ):
            by_page.setdefault(key, set()).add(user_id)
    variants = {}
    for index, row in posts:
        author = row.data["author"]["id"]
        told = (by_author.get(author, set()) | by_page.get(row.context_key, set())) - {author}
        if told:
            variants[index] = (told, {"following": True})
    return variants


def _comment_variants(rows, user_ids):
    """Comments on conversations the readers follow, by people they did not mute (four queries
    per batch with comments)."""
    comments = [(i, row) for i, row in enumerate(rows) if row.type == "comment.created"]
    if not comments or not user_ids:
        return {}
    post_ids = sorted({row.post_id for _, row in comments})
    followers = {}
    for post_id, user_id in db.session.execute(
        select(PostFollow.post_id, PostFollow.user_id).where(
            PostFollow.post_id.in_(post_ids),
            PostFollow.following.is_(True),
            PostFollow.user_id.in_(sorted(user_ids)),
        )
    ):
        followers.setdefault(post_id, set()).add(user_id)
    comment_ids = [row.data["id"] for _, row in comments]
    direct = {}
    for comment_id, recipient in db.session.execute(
        select(Notification.comment_id, Notification.recipient_id).where(
            Notification.post_id.in_(post_ids), Notification.comment_id.in_(comment_ids)
        )
    ):
        direct.setdefault(comment_id, set()).add(recipient)
    contexts = contexts_of([p for p in post_ids if p in followers])
    authors = sorted({row.data["author"]["id"] for _, row in comments})
    muters = {}
    for person_id, muter_id in db.session.execute(
        select(PersonMute.person_id, PersonMute.muter_id).where(
            PersonMute.person_id.in_(authors), PersonMute.muter_id.in_(sorted(user_ids))
        )
    ):
        muters.setdefault(person_id, set()).add(muter_id)
    variants = {}
    for index, row in comments:
        data = row.data
        author = data["author"]
        told = followers.get(row.post_id, set()) - {author["id"]} - direct.get(data["id"], set())
        told -= muters.get(author["id"], set())
        if not told:
            continue
        entry = item(
            id=group_id(row.post_id),
            kind="comment",
            created_at=None,
            read=False,
            actors=[{k: author[k] for k in ("id", "name", "avatar_url")}],
            actor_count=1,
            post_id=row.post_id,
            comment_id=data["id"],
            excerpt=data["body"],
            context=contexts.get(row.post_id),
        )
        entry["created_at"] = data["created_at"]
        variants[index] = (told, {"notification": entry})
    return variants
