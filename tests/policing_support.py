"""Shared helpers of the policing tests: colleagues who flag, a moderator, the tables' rows."""

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from chatter.db import db
from chatter.policing.models import Flag, ModerationEntry, ReviewRequest

MODERATOR = "chatter-dev|mo"


def flaggers(user, departments=("Sales", "Sales", "Legal")):
    """Colleagues, one per department given (three in two departments by default)."""
    return [user(department=department) for department in departments]


def flag(api, path, reason="spam", **fields):
    """`api` flags the item at `path` (`/posts/1`, `/comments/2`); the response."""
    return api.post(f"{path}/flags", json={"reason": reason, **fields}, key=None)


def flag_all(people, path, reason="spam"):
    answers = [flag(person, path, reason) for person in people]
    assert all(answer.status_code == 201 for answer in answers), [a.json for a in answers]
    return answers[-1].json


def flag_at_once(app, people, path, reason="spam"):
    """The people flag the item simultaneously (one client and thread each); status codes."""

    def one(person):
        client = app.test_client()
        return client.post(
            f"/api/v1{path}/flags", json={"reason": reason}, headers=person.headers
        ).status_code

    with ThreadPoolExecutor(len(people)) as pool:
        return list(pool.map(one, people))


def count(app, model, *where):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def rows(app):
    """How many flags, log entries and review requests there are: a refusal changes none."""
    return tuple(count(app, model) for model in (Flag, ModerationEntry, ReviewRequest))


def inbox_kinds(api):
    return [item["kind"] for item in api.get("/notifications").json["items"]]


def events_after(api, after):
    """The events after `after` as the long poll sends them (the live path)."""
    return api.get(f"/events?after={after}&wait=0").json["events"]


def head(api):
    return api.get("/events").json["last_id"]
