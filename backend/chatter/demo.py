"""A small, believable organization for the demo: people, pages and conversations."""

import logging
import time
from datetime import timedelta

from flask_migrate import upgrade
from sqlalchemy import func, select

from . import conversations
from .auth import upsert_user
from .db import db
from .demo_year import seed_year
from .identity import DEV_ISSUER
from .models import Comment, Post, hot_score, utcnow

log = logging.getLogger(__name__)

# The first four are the example pages' user switcher (?as=bob).
PEOPLE = [
    ("alice", "Alice Archer", "Staff Engineer", "Engineering"),
    ("bob", "Bob Baker", "Product Designer", "Design"),
    ("carol", "Carol Chen", "Chief Operating Officer", "Leadership"),
    ("dan", "Dan Diaz", "Account Executive", "Sales"),
    ("emma", "Emma Lindqvist", "People Partner", "People"),
    ("farid", "Farid Haddad", "Engineering Manager", "Engineering"),
    ("grace", "Grace Okafor", "Finance Lead", "Finance"),
    ("hiro", "Hiro Tanaka", "Junior Developer", "Engineering"),
    ("ines", "Inès Moreau", "Content Strategist", "Marketing"),
    ("jamal", "Jamal Wright", "IT Administrator", "IT"),
    ("kate", "Kate Novak", "Project Manager", "Delivery"),
    ("liam", "Liam O'Brien", "Sales Associate", "Sales"),
]

# (author, hours ago, context key or None, body, [(commenter, text, reply_to_index)],
#  likers, promoters)
CONVERSATIONS = [
    (
        "carol",
        30,
        "intranet",
        "The new travel policy goes live in January: trips under "
        "**€1,500** no longer need a director's approval, and rail is the default for journeys "
        "under six hours.\n\nTell me where this will hurt.",
        [
            (
                "farid",
                "Client workshops in Munich are 6h+ by train from Hamburg. Can teams decide "
                "case by case?",
                None,
            ),
            (
                "dan",
                "For sales this is great: no more waiting a week for approval before a pitch.",
                None,
            ),
            ("hiro", "Could we try the rail rule on one project first?", 0),
            ("carol", "Fair point, Hiro. Let's pilot it on Apollo for three weeks.", 0),
            ("kate", "Happy to run the pilot on Apollo and report back.", None),
        ],
        ["farid", "dan", "hiro", "kate", "emma", "grace"],
        ["farid", "dan", "kate", "grace"],
    ),
    (
        "alice",
        5,
        "project:apollo",
        "Apollo's staging environment is up: "
        "https://staging.apollo.example.com\n\n- login with your usual account\n"
        "- report issues in the `#apollo` channel",
        [("kate", "Thanks Alice! Sharing with the client today.", None)],
        ["kate", "farid", "bob"],
        ["kate"],
    ),
    (
        "emma",
        50,
        None,
        "Welcome **Hiro Tanaka** to Engineering! Hiro joins us from the "
        "graduate programme. Say hi if you see him at the coffee machine.",
        [
            ("alice", "Welcome Hiro!", None),
            ("jamal", "Welcome! Your laptop is ready at the IT desk.", None),
            ("hiro", "Thank you all!", None),
        ],
        ["alice", "bob", "carol", "dan", "farid", "grace", "jamal", "kate", "liam"],
        [],
    ),
    (
        "bob",
        3,
        "project:apollo",
        "New onboarding flow mock-ups for Apollo are ready for review. "
        "_Feedback by Friday please_ — especially on the empty states.",
        [],
        ["alice"],
        [],
    ),
    (
        "jamal",
        20,
        "intranet",
        "Tip: book trains through the **travel tool**, not the rail "
        "sites directly — the receipts then land in your expense report by themselves.",
        [
            ("liam", "Does that work for international trains too?", None),
            ("jamal", "Yes, Eurostar and ÖBB included.", 0),
        ],
        ["liam", "grace"],
        ["grace", "emma", "ines"],
    ),
    (
        "ines",
        8,
        None,
        "We are rewriting the careers page. Which project would you show a "
        "candidate first, and why?",
        [("farid", "Apollo, hands down.", None)],
        ["farid"],
        [],
    ),
    (
        "grace",
        70,
        None,
        "Expense reports for Q3 close on the 15th. Receipts as PDF or photo are both fine.",
        [],
        ["dan"],
        [],
    ),
    (
        "liam",
        1,
        None,
        "First week done. What is one thing you wish someone had told you in your first week here?",
        [],
        [],
        [],
    ),
]


# The demo's page contexts: name -> (title, the example page they belong to). The intranet
# article's key is its URL (the pane's default); the project page names its own context.
CONTEXTS = {
    "intranet": ("Travel policy 2026 — Northwind Intranet", "/examples/intranet.html"),
    "project:apollo": ("Project Apollo", "/examples/project.html"),
}


def _context(name, origin):
    """(key, title, url) of one of the demo's page contexts, or Nones for the org-wide stream."""
    if name is None:
        return None, None, None
    title, path = CONTEXTS[name]
    url = f"{origin}{path}"
    return (url if name == "intranet" else name), title, url


def seed(origin, history=1.0):
    """Create the demo people, a year of their history (`history` scales it: the tests turn
    it down, 0 leaves it out) and the recent conversations (the database must be empty)."""
    now = time.time()
    users = {}
    for sub, name, title, department in PEOPLE:
        claims = {
            "iss": DEV_ISSUER,
            "sub": sub,
            "preferred_username": sub,  # @alice, @bob: what the demo's texts mention
            "iat": int(now) - 86400 * 7,
            "name": name,
            "title": title,
            "department": department,
        }
        users[sub] = upsert_user(claims)
    db.session.flush()
    if history:
        started = time.perf_counter()
        # A smaller year keeps enough people for the COO's 44 replies.
        company = 300 if history >= 1 else 60
        made, people, phases = seed_year(list(users.values()), scale=history, people=company)
        log.info(
            "Seeded a year of history: %d interactions of %d people in %.1f s (%s).",
            made,
            people,
            time.perf_counter() - started,
            ", ".join(f"{phase} {seconds} s" for phase, seconds in phases.items()),
        )
    for author, hours, context, body, comments, likers, promoters in CONVERSATIONS:
        key, page_title, page_url = _context(context, origin)
        post = conversations.create_post(
            users[author],
            body,
            context=key,
            context_title=page_title,
            context_url=page_url,
        )
        created = utcnow() - timedelta(hours=hours)
        post.created_at = post.last_activity_at = created
        made = []
        for offset, (commenter, text, reply_to) in enumerate(comments, start=1):
            parent = made[reply_to] if reply_to is not None else None
            at = created + timedelta(minutes=17 * offset)
            comment = conversations.create_comment(post, users[commenter], text, parent, at=at)
            made.append(db.session.get(Comment, comment["id"]))
        for liker in likers:
            conversations.set_post_like(post, users[liker], True)
        for promoter in promoters:
            conversations.set_promotion(post, users[promoter], True)
        post = db.session.get(Post, post.id, populate_existing=True)  # counted with Core
        if made:
            post.last_activity_at = max(c.created_at for c in made)
        if post.last_promoted_at:  # backing kept coming in, up to a couple of hours ago
            post.last_promoted_at = max(created, utcnow() - timedelta(hours=2))
        post.hot_score = hot_score(post)
    db.session.commit()


def prepare_demo(app, origin, reset=False, history=1.0):
    """Migrate the database and seed it once (`history`: see seed)."""
    with app.app_context():
        if reset:
            db.drop_all()
            db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
            db.session.commit()
        upgrade()
        if not db.session.scalar(select(func.count()).select_from(Post)):
            seed(origin, history)
