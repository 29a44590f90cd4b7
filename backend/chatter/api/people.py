"""People: search (the mention picker), the people card; an admin ends a person's sessions."""

from flask import Blueprint, current_app, g

from ..auth import is_admin, login_required, revoke_user_sessions
from ..db import db
from ..errors import forbidden, not_found
from ..live import get_hub
from ..models import User
from ..openapi import doc
from ..people.cards import person_card
from ..people.schemas import (
    PeopleQuerySchema,
    PeopleSchema,
    PersonCardSchema,
    PersonPostPageSchema,
    PersonPostsQuerySchema,
)
from ..people.search import search_people
from ..read import feed
from ..read.page_cache import json_response
from ..schemas import RevokedSessionsSchema
from .inputs import load_query, load_reader_query

bp = Blueprint("people", __name__)


@bp.get("/people")
@doc(query=PeopleQuerySchema, response=PeopleSchema)
@login_required
def find_people():
    """Find people by prefixes of their name words, handle or e-mail; closest ties first."""
    args = load_query(PeopleQuerySchema())
    return {"items": search_people(g.reader.id, args["q"], args["limit"])}


@bp.get("/people/<int:person_id>")
@doc(response=PersonCardSchema)
@login_required
def show_person(person_id):
    """A person's card: profile, counts and whether the reader follows them."""
    card = person_card(person_id, g.reader.id)
    if card is None:
        raise not_found("person")
    return PersonCardSchema().dump(card)


@bp.get("/people/<int:person_id>/posts")
@doc(query=PersonPostsQuerySchema, response=PersonPostPageSchema)
def list_person_posts(person_id):
    """One page of the conversations a person started, newest first, shaped like GET /posts."""
    args = load_reader_query(PersonPostsQuerySchema())
    return json_response(feed.read_person_posts(person_id, args))


@bp.delete("/people/<int:person_id>/sessions")
@doc(response=RevokedSessionsSchema)
@login_required
def revoke_sessions(person_id):
    """Sign a person out everywhere at once (admins only); their open streams close too."""
    if not is_admin(g.reader):
        raise forbidden("Only an admin can end another person's sessions.")
    if db.session.get(User, person_id) is None:
        raise not_found("person")
    revoked = revoke_user_sessions(person_id)
    db.session.commit()
    get_hub(current_app).notify(sessions=True)
    return {"revoked": revoked}
