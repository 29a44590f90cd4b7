"""A believable year behind the demo organization, inserted in bulk.

About 300 people in twelve departments with titles from intern to chief, ~7,400 interactions
a month (posts, comments and replies, likes, promotions) with the seasons of an office year
(quiet Augusts and Christmases, busy Januaries and Septembers, weekends nearly silent),
questions of which most get an answer, a few conversations that led to a change — one of
them the COO's post about tracking billable time: 44 replies on its first day and an outcome
three days later. `scale` multiplies the interactions (and, with `people`, the organization):
the tests turn it down, bench/insights up to 100.

Rows are written with executemany INSERTs (RETURNING ids where later rows point at them),
counters computed here: the ORM and the write paths would take minutes. Deterministic: the
same year every time.
"""

import itertools
import random
import time
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import bindparam, insert, update

from .db import db
from .identity import DEV_ISSUER
from .models import Comment, CommentLike, Post, PostLike, Promotion, User, hot_score
from .text import render_markdown

MONTHLY = 8100  # interactions a month at scale 1 asked for: ~7,400 once repeated likes fall away
SHARES = {"post": 0.08, "comment": 0.27, "like": 0.60, "promotion": 0.05}
# January is busy, August and the end of December quiet (1.0 = an ordinary month).
SEASON = {1: 1.2, 2: 1.1, 3: 1.1, 4: 1.0, 5: 1.0, 6: 0.95, 7: 0.75, 8: 0.6, 9: 1.2, 10: 1.1,
          11: 1.05, 12: 0.8}  # fmt: skip
WEEKDAY, WEEKEND = 1.0, 0.12

DEPARTMENTS = {
    "Engineering": ["Developer", "Engineer", "QA Engineer"],
    "Design": ["Product Designer", "UX Researcher"],
    "Sales": ["Account Executive", "Sales Associate"],
    "People": ["People Partner", "Recruiter"],
    "Finance": ["Accountant", "Controller"],
    "Marketing": ["Content Strategist", "Marketing Specialist"],
    "IT": ["IT Administrator", "Support Technician"],
    "Delivery": ["Project Manager", "Consultant"],
    "Legal": ["Legal Counsel", "Compliance Officer"],
    "Support": ["Support Specialist", "Customer Success Manager"],
    "Operations": ["Operations Analyst", "Office Manager"],
    "Leadership": ["Chief of Staff"],
}
RANKS = [("Intern", 0.06), ("Junior", 0.18), ("", 0.42), ("Senior", 0.2), ("Lead", 0.08),
         ("Head of", 0.04), ("Director,", 0.02)]  # fmt: skip
FIRST = [
    "Ada",
    "Ben",
    "Chloé",
    "Dev",
    "Elif",
    "Femi",
    "Greta",
    "Hana",
    "Ivan",
    "Jo",
    "Kofi",
    "Lena",
    "Mateo",
    "Nia",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sven",
    "Tariq",
    "Uma",
    "Vera",
    "Wen",
    "Yusuf",
    "Zoe",
    "Aiko",
    "Bruno",
    "Carmen",
    "Dario",
    "Esra",
    "Finn",
    "Gaia",
    "Hugo",
    "Ilse",
    "Jonas",
    "Kira",
    "Luca",
    "Maya",
    "Nils",
    "Olga",
    "Pavel",
    "Rania",
    "Sami",
    "Tess",
    "Ugo",
    "Vik",
    "Willa",
    "Xenia",
    "Yara",
]
LAST = [
    "Abbott",
    "Berg",
    "Castro",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Horvath",
    "Ito",
    "Jensen",
    "Kowalski",
    "Larsen",
    "Mendes",
    "Nakamura",
    "Osei",
    "Petrov",
    "Quist",
    "Rossi",
    "Silva",
    "Tan",
    "Usman",
    "Varga",
    "Weber",
    "Xu",
    "Yilmaz",
    "Zhou",
    "Andersen",
    "Byrne",
    "Costa",
    "Diallo",
]

POSTS = [
    "Sharing the notes from today's planning session: three priorities for next quarter.",
    "We shipped the new **customer portal** search. Feedback welcome!",
    "Reminder: the office is closed on Friday for the building maintenance.",
    "Great client workshop in Lyon today. The team did an amazing job.",
    "Draft of the new onboarding checklist is ready: what is missing?",
    "Our quarterly numbers are in: thank you all for a strong finish.",
    "Lunch & learn on Thursday: _writing good incident reports_.",
    "The new expense tool is live. Receipts can now be photographed from your phone.",
    "We are hiring two more consultants for Delivery: referrals welcome.",
    "A short write-up of what we learned from last month's outage.",
    "Our accessibility audit found 14 issues; 11 are fixed already.",
    "Who wants to join the sustainability working group?",
    "The design system now has a dark theme. Try it on staging.",
    "Contract templates were updated for the new data-protection rules.",
    "Support tickets are down 18 % since the help-centre rewrite.",
]
QUESTIONS = [
    "How do I get access to the staging environment?",
    "Does anyone know how to book a meeting room for more than 12 people?",
    "What is the right way to bill travel time to a client?",
    "Where do I find the brand templates for slides?",
    "Which VPN profile should I use when working from a client site?",
    "Is there a checklist for offboarding a contractor?",
    "How do we request a budget change mid-quarter?",
    "Who can approve an exception to the travel policy?",
]
COMMENTS = [
    "Thanks for sharing!",
    "Great work, team.",
    "Could you add this to the wiki?",
    "We saw the same thing in Sales last month.",
    "Happy to help with this.",
    "Let's discuss it in Thursday's sync.",
    "This will save us a lot of time.",
    "Do we have numbers for the other offices too?",
    "+1, and the same applies to the contractors.",
    "Nice! Is there a recording?",
    "I can review the draft tomorrow.",
    "Good point: we should ask Legal first.",
]
ANSWERS = [
    "You can request it in the IT portal under *Access*; it takes about an hour.",
    "Use the travel tool: it has a field for the client code.",
    "The templates are on the Marketing page, section _Brand_.",
    "Ask your manager first, then Finance signs it off in the budget tool.",
    "The checklist is in the People handbook, chapter 4.",
]

COO_POST = (
    "Starting next month I would like us to **track billable time where the work happens** — "
    "in the project pages — instead of the Friday spreadsheet.\n\n"
    "Before we decide: what would make this painless for you? What would make it fail?"
)
COO_REPLIES = [
    "One click per task, please, or nobody will do it.",
    "Can it pre-fill from our calendars?",
    "Consultants on client sites often have no VPN: it must work offline.",
    "Please keep the export for Finance in the same format.",
    "Rounding rules differ per client contract — that needs to be configurable.",
    "Yes! The spreadsheet is the worst part of my Friday.",
    "Will non-billable internal work be tracked too?",
    "Let us pilot it with Delivery first.",
    "Mobile matters: half of us log time on the train.",
    "Could the pane remind us at the end of the day?",
    "Legal needs an audit trail for edits.",
]
OUTCOME = (
    "Billable time is now tracked in the project pages: one click per task, pre-filled from "
    "calendars, works offline, same export for Finance. Thank you to the 44 of you who told "
    "us how."
)
# (the change, days after the conversation began, the conversation it came from)
OTHER_OUTCOMES = [
    ("The meeting-room booking limit is raised to 20 people.", 2, QUESTIONS[1]),
    ("Travel exceptions are now approved by team leads, not directors.", 6, QUESTIONS[7]),
    ("The onboarding checklist is published in the People handbook.", 9, POSTS[4]),
    ("Support's help-centre rewrite goes to every product this quarter.", 14, POSTS[14]),
    ("The sustainability working group meets every second Tuesday.", 4, POSTS[11]),
]


def _html(texts):
    return {text: render_markdown(text) for text in texts}


def _utcnow():
    return datetime.now(UTC).replace(tzinfo=None)


class _Year:
    """The generator's state: people, their weights, and the rows to insert."""

    def __init__(self, rng, people, start, end):
        self.rng, self.people, self.start, self.end = rng, people, start, end
        self.posts, self.comments = [], []  # dicts; comments refer to posts by index
        # (post or comment index, person index) -> when
        self.post_likes, self.comment_likes, self.promotions = {}, {}, {}
        self.everyone = range(len(people))
        self.activity = list(itertools.accumulate(p["activity"] for p in people))
        # Those who never take part are nobody's expert, and stay out of the stories.
        self.talkers = [i for i, p in enumerate(people) if p["activity"] > 0]
        self.appeal = list(
            itertools.accumulate(p["appeal"] if p["activity"] > 0 else 0 for p in people)
        )
        members = {}
        for index, p in enumerate(people):
            members.setdefault(p["department"], []).append(index)
        self.by_department = {
            name: (ids, list(itertools.accumulate(people[i]["activity"] for i in ids)))
            for name, ids in members.items()
        }

    def someone(self, department=None, same=0.45):
        """A person by activity; with `same` odds from `department`."""
        if department and self.rng.random() < same:
            ids, weights = self.by_department[department]
            if weights[-1] > 0:  # not a department of readers only
                return self.rng.choices(ids, cum_weights=weights)[0]
        return self.rng.choices(self.everyone, cum_weights=self.activity)[0]

    def expert(self):
        """Someone others go to (by appeal)."""
        return self.rng.choices(self.everyone, cum_weights=self.appeal)[0]

    def post(self, author, at, body, kind="post"):
        self.posts.append(
            {
                "author": author,
                "at": at,
                "body": body,
                "kind": kind,
                "comments": [],
                "answer": None,
                "answered_at": None,
                "outcome": None,
            }  # fmt: skip
        )
        return len(self.posts) - 1

    def comment(self, post, author, at, body, parent=None):
        self.comments.append(
            {"post": post, "author": author, "at": at, "body": body, "parent": parent}
        )
        index = len(self.comments) - 1
        self.posts[post]["comments"].append(index)
        return index


def _people(rng, count, first_day):
    """The demo's hand-made people are added by demo.py; these are the rest of the company."""
    people = []
    names = set()
    departments = list(DEPARTMENTS)
    for n in range(count):
        department = departments[n % len(departments)]
        rank = rng.choices([r for r, _ in RANKS], weights=[w for _, w in RANKS])[0]
        role = rng.choice(DEPARTMENTS[department])
        title = (
            f"{rank} {role}".strip()
            if rank not in ("Head of", "Director,")
            else (f"{rank} {department}")
        )
        while True:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            if name not in names or len(names) > len(FIRST) * len(LAST) // 2:
                break
        names.add(name)
        # Most joined before the year began; a few each month since.
        joined = first_day - timedelta(days=rng.randint(1, 2000))
        if rng.random() < 0.15:
            joined = first_day + timedelta(days=rng.randint(0, 360))
        people.append(
            {
                "sub": f"p{n + 1:05d}",
                "name": name,
                "title": title,
                "department": department,
                "joined": joined,
                # A third of the company mostly reads; one in ten only ever reads.
                "activity": rng.paretovariate(1.6) * _reads_only_odds(rng),
                # A few people, of every rank, are the ones others go to.
                "appeal": 6.0 if rng.random() < 0.03 else rng.uniform(0.5, 1.5),
            }
        )
    return people


def _reads_only_odds(rng):
    draw = rng.random()
    return 0.0 if draw < 0.1 else 0.04 if draw < 0.4 else 1.0


def _days(start, end):
    day = start
    while day < end:
        yield day
        day += timedelta(days=1)


def _at(rng, day, after=None):
    """A working-hours moment of `day` (after `after` when given, same day or a bit later)."""
    moment = datetime.combine(day, datetime.min.time()) + timedelta(hours=rng.uniform(8, 18.5))
    if after is not None and moment <= after:
        moment = after + timedelta(minutes=rng.uniform(3, 240))
    return moment


def generate(rng, people, start, end, scale):
    """Fill a _Year with a year of talk from start (a date) to end (exclusive)."""
    year = _Year(rng, people, start, end)
    weights = {
        day: SEASON[day.month] * (WEEKDAY if day.weekday() < 5 else WEEKEND)
        for day in _days(start, end)
    }
    total_weight = sum(weights.values())
    per_year = MONTHLY * 12 * scale * (len(weights) / 365)
    recent = []  # (post index, day) of the last week's posts
    for day, weight in weights.items():
        n = per_year * weight / total_weight
        recent = [(p, d) for p, d in recent if (day - d).days < 6]
        for _ in range(_count(rng, n * SHARES["post"])):
            author = year.someone()
            at = _at(rng, day)
            if rng.random() < 0.1:
                index = year.post(author, at, rng.choice(QUESTIONS), "question")
                if rng.random() < 0.75:  # someone who knows answers, within hours
                    expert = year.expert()
                    answered = at + timedelta(hours=rng.uniform(0.3, 30))
                    answer = year.comment(index, expert, answered, rng.choice(ANSWERS))
                    year.posts[index]["answer"] = answer
                    year.posts[index]["answered_at"] = answered + timedelta(minutes=20)
            else:
                year.post(author, at, rng.choice(POSTS))
            recent.append((len(year.posts) - 1, day))
        if not recent:
            continue
        targets = [p for p, _ in recent]
        target_weights = list(
            itertools.accumulate(
                people[year.posts[p]["author"]]["appeal"] / (1 + (day - d).days) for p, d in recent
            )
        )
        for _ in range(_count(rng, n * SHARES["comment"])):
            post = rng.choices(targets, cum_weights=target_weights)[0]
            record = year.posts[post]
            commenter = year.someone(people[record["author"]]["department"])
            at = _at(rng, day, after=record["at"])
            tops = [c for c in record["comments"] if year.comments[c]["parent"] is None]
            parent = rng.choice(tops) if tops and rng.random() < 0.3 else None
            year.comment(post, commenter, at, rng.choice(COMMENTS), parent)
        for _ in range(_count(rng, n * SHARES["like"])):
            post = rng.choices(targets, cum_weights=target_weights)[0]
            record = year.posts[post]
            liker = year.someone(people[record["author"]]["department"], same=0.35)
            at = _at(rng, day, after=record["at"])
            if record["comments"] and rng.random() < 0.3:
                comment = rng.choice(record["comments"])
                if year.comments[comment]["at"] < at:
                    year.comment_likes.setdefault((comment, liker), at)
            else:
                year.post_likes.setdefault((post, liker), at)
        for _ in range(_count(rng, n * SHARES["promotion"])):
            post = rng.choices(targets, cum_weights=target_weights)[0]
            at = _at(rng, day, after=year.posts[post]["at"])
            year.promotions.setdefault((post, year.someone()), at)
    return year


def _count(rng, expected):
    """A whole number of events averaging `expected`."""
    whole = int(expected)
    return whole + (1 if rng.random() < expected - whole else 0)


def add_the_stories(rng, year, coo, days_ago=58):
    """The COO's billable-time conversation (44 replies on day one, an outcome three days
    later) and a few more conversations that led to a change."""
    day = year.end - timedelta(days=days_ago)
    while day.weekday() != 1:  # a Tuesday morning
        day -= timedelta(days=1)
    at = datetime.combine(day, datetime.min.time()) + timedelta(hours=9, minutes=12)
    post = year.post(coo, at, COO_POST)
    repliers = rng.sample([i for i in year.talkers if i != coo], 44)
    for n, replier in enumerate(repliers):
        reply_at = at + timedelta(minutes=6 + n * 13 + rng.uniform(0, 9))
        year.comment(post, replier, reply_at, COO_REPLIES[n % len(COO_REPLIES)])
    for liker in rng.sample(year.talkers, min(120, len(year.talkers))):
        year.post_likes.setdefault((post, liker), at + timedelta(hours=rng.uniform(0.2, 30)))
    for promoter in rng.sample(year.talkers, min(18, len(year.talkers))):
        year.promotions.setdefault((post, promoter), at + timedelta(hours=rng.uniform(1, 12)))
    year.posts[post]["outcome"] = (OUTCOME, coo, at + timedelta(days=3, hours=2))
    for summary, days, body in OTHER_OUTCOMES:  # each on a conversation about it
        talked = [i for i, p in enumerate(year.posts) if p["body"] == body and p["comments"]]
        if not talked:
            continue
        record = year.posts[rng.choice(talked)]
        when = record["at"] + timedelta(days=days, hours=rng.uniform(1, 8))
        if when < datetime.combine(year.end, datetime.min.time()):
            record["outcome"] = (summary, record["author"], when)
    return post


def people_rows(people, now):
    return [
        {
            "issuer": DEV_ISSUER,
            "subject": p["sub"],
            "name": p["name"],
            "handle": p["sub"],
            "email": None,
            "title": p["title"],
            "department": p["department"],
            "avatar_url": None,
            "profile_issued_at": now,
            "created_at": datetime.combine(p["joined"], datetime.min.time()) + timedelta(hours=9),
        }
        for p in people
    ]


def insert_year(year, user_ids):
    """Write the year: posts, comments (top-level, then replies), likes, promotions, with
    every counter and score as the write paths would have left them."""
    people = year.people
    html = _html({*POSTS, *QUESTIONS, COO_POST})
    comment_html = _html({*COMMENTS, *ANSWERS, *COO_REPLIES})
    outcome_html = _html({OUTCOME, *(summary for summary, *_ in OTHER_OUTCOMES)})
    likes, promoted = {}, {}
    for (post, _person), _at in year.post_likes.items():
        likes[post] = likes.get(post, 0) + 1
    for (post, person), at in year.promotions.items():
        promoted.setdefault(post, []).append((people[person]["department"].casefold(), at))
    post_rows = []
    for index, record in enumerate(year.posts):
        promotions = promoted.get(index, [])
        last_comment = max((year.comments[c]["at"] for c in record["comments"]), default=None)
        row = {
            "author_id": user_ids[record["author"]],
            "context_id": None,
            "body": record["body"],
            "html": html[record["body"]],
            "created_at": record["at"],
            "edited_at": None,
            "last_activity_at": max(record["at"], last_comment or record["at"]),
            "like_count": likes.get(index, 0),
            "comment_count": len(record["comments"]),
            "promotion_count": len(promotions),
            "promotion_departments": len({d for d, _ in promotions}),
            "last_promoted_at": max((at for _, at in promotions), default=None),
            "kind": record["kind"],
            "answer_id": None,
            "answered_at": None,
            "outcome_summary": None,
            "outcome_html": None,
            "outcome_url": None,
            "outcome_by_id": None,
            "outcome_at": None,
        }
        if record["outcome"]:
            summary, by, at = record["outcome"]
            row |= {
                "outcome_summary": summary,
                "outcome_html": outcome_html[summary],
                "outcome_by_id": user_ids[by],
                "outcome_at": at,
            }
            if summary == OUTCOME:
                row["outcome_url"] = "https://intranet.example.com/billable-time"
        row["hot_score"] = hot_score(SimpleNamespace(**row))
        post_rows.append(row)
    post_ids = _insert_returning(Post, post_rows)
    replies = {}
    for comment in year.comments:
        if comment["parent"] is not None:
            replies[comment["parent"]] = replies.get(comment["parent"], 0) + 1
    comment_likes = {}
    for (comment, _person), _at in year.comment_likes.items():
        comment_likes[comment] = comment_likes.get(comment, 0) + 1
    comment_ids = {}
    for replying in (False, True):
        indexes = [i for i, c in enumerate(year.comments) if (c["parent"] is not None) == replying]
        rows = [
            {
                "post_id": post_ids[year.comments[i]["post"]],
                "parent_id": comment_ids[year.comments[i]["parent"]] if replying else None,
                "author_id": user_ids[year.comments[i]["author"]],
                "body": year.comments[i]["body"],
                "html": comment_html[year.comments[i]["body"]],
                "created_at": year.comments[i]["at"],
                "edited_at": None,
                "like_count": comment_likes.get(i, 0),
                "reply_count": replies.get(i, 0),
            }
            for i in indexes
        ]
        comment_ids.update(zip(indexes, _insert_returning(Comment, rows), strict=True))
    answered = [
        {
            "pid": post_ids[i],
            "aid": comment_ids[p["answer"]],
            "by": user_ids[year.comments[p["answer"]]["author"]],
            "at": p["answered_at"],
        }
        for i, p in enumerate(year.posts)
        if p["answer"] is not None
    ]
    if answered:
        posts = Post.__table__
        db.session.execute(
            update(posts)
            .where(posts.c.id == bindparam("pid"))
            .values(
                answer_id=bindparam("aid"),
                answer_author_id=bindparam("by"),
                answered_at=bindparam("at"),
            ),
            answered,
        )
    _insert(
        PostLike,
        [
            {"post_id": post_ids[p], "user_id": user_ids[u], "created_at": at}
            for (p, u), at in year.post_likes.items()
        ],
    )
    _insert(
        CommentLike,
        [
            {"comment_id": comment_ids[c], "user_id": user_ids[u], "created_at": at}
            for (c, u), at in year.comment_likes.items()
        ],
    )
    _insert(
        Promotion,
        [
            {
                "post_id": post_ids[p],
                "user_id": user_ids[u],
                "department": people[u]["department"].casefold(),
                "created_at": at,
            }
            for (p, u), at in year.promotions.items()
        ],
    )
    return post_ids


BATCH = 5000


def _insert(model, rows):
    for at in range(0, len(rows), BATCH):
        db.session.execute(insert(model), rows[at : at + BATCH])


def _insert_returning(model, rows):
    """Insert rows; their new ids, in order."""
    table = model.__table__
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    ids = []
    for at in range(0, len(rows), BATCH):
        ids.extend(db.session.scalars(statement, rows[at : at + BATCH]).all())
    return ids


def interactions(year):
    return (
        len(year.posts)
        + len(year.comments)
        + len(year.post_likes)
        + len(year.comment_likes)
        + len(year.promotions)
    )


# The hand-made people of demo.py: how much they write, and who others go to (every rank).
HANDMADE = {"carol": (4.0, 3.0), "hiro": (2.5, 6.0), "jamal": (2.0, 6.0), "grace": (1.5, 4.0)}


def seed_year(handmade, scale=1.0, people=300, today=None, roll_up=True):
    """Insert the year before `today` behind the demo's hand-made people (`handmade`: their
    Users in demo.PEOPLE order) and roll it up; return (interactions, people in all, seconds
    each phase took)."""
    from .insights import rollups
    from .people.handles import clean_handle
    from .people.models import PersonWord
    from .people.search import words_of

    rng = random.Random(13)
    end = today or rollups.today()
    start = end - timedelta(days=365)
    now = _utcnow()
    before = datetime.combine(start, datetime.min.time()) - timedelta(days=400)
    mine = []
    for user in handmade:
        user.created_at = before
        activity, appeal = HANDMADE.get(user.handle, (2.0, 1.0))
        mine.append(
            {
                "sub": user.subject,
                "name": user.name,
                "title": user.title,
                "department": user.department,
                "activity": activity,
                "appeal": appeal,
            }  # fmt: skip
        )
    others = _people(rng, max(people - len(mine), 0), start)
    rows = people_rows(others, now)
    taken = {user.handle for user in handmade}
    for row in rows:
        base = clean_handle(row["name"]) or row["subject"]
        handle, n = base, 1
        while handle in taken:
            n += 1
            handle = f"{base[: 30 - len(str(n))]}{n}"
        taken.add(handle)
        row["handle"] = handle
    ids = _insert_returning(User, rows)
    _insert(
        PersonWord,
        [
            {"word": word, "user_id": uid}
            for uid, row in zip(ids, rows, strict=True)
            for word in words_of(row["name"], row["handle"], None)
        ],
    )
    everyone = mine + others
    user_ids = [user.id for user in handmade] + ids
    clock = [time.perf_counter()]
    year = generate(rng, everyone, start, end, scale)
    coo = next((i for i, p in enumerate(everyone) if p["title"] == "Chief Operating Officer"), 0)
    add_the_stories(rng, year, coo)
    clock.append(time.perf_counter())
    insert_year(year, user_ids)
    clock.append(time.perf_counter())
    if roll_up:
        rollups.forget_all()
        rollups.build_ended_days(start, end - timedelta(days=1))
    clock.append(time.perf_counter())
    phases = [round(b - a, 1) for a, b in itertools.pairwise(clock)]
    return (
        interactions(year),
        len(everyone),
        dict(zip(("generate", "insert", "roll up"), phases, strict=True)),
    )
