"""The insights' query and answer, for the OpenAPI document (report.py builds the answer)."""

from marshmallow import Schema, fields, validate

from ..schemas import Text


class InsightsQuerySchema(Schema):
    from_ = Text(
        data_key="from",
        validate=validate.Length(1, 10),
        metadata={"description": "First day, YYYY-MM-DD (default: twelve months ago)."},
    )
    to = Text(
        validate=validate.Length(1, 10),
        metadata={"description": "Last day, YYYY-MM-DD (default: today); at most 3 years on."},
    )
    bucket = Text(
        load_default="month",
        metadata={"description": "`week` or `month`; the range is widened to whole buckets."},
    )


class BucketSchema(Schema):
    start = fields.String()
    posts = fields.Integer()
    comments = fields.Integer()
    likes = fields.Integer()
    promotions = fields.Integer()
    interactions = fields.Integer()
    active_people = fields.Integer()
    per_active_person = fields.Float()
    new_people = fields.Integer()


class DepartmentSchema(Schema):
    name = fields.String(metadata={"description": 'As identity tokens give it; "" for none.'})
    people = fields.Integer()
    active_people = fields.Integer()
    interactions = fields.Integer()
    share = fields.Float(metadata={"description": "Share of its people who took part."})


class PairSchema(Schema):
    from_ = fields.String(data_key="from", metadata={"description": "The actor's department."})
    to = fields.String(metadata={"description": "The author's department."})
    interactions = fields.Integer()


class ReachSchema(Schema):
    interactions = fields.Integer(metadata={"description": "Comments, likes and promotions."})
    cross_department = fields.Integer()
    share = fields.Float()
    pairs = fields.List(fields.Nested(PairSchema))


class PersonRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class SmallPostSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    excerpt = fields.String()
    url = fields.String()
    author = fields.Nested(PersonRefSchema)


class TopConversationSchema(Schema):
    post = fields.Nested(SmallPostSchema)
    departments = fields.Integer()
    comments = fields.Integer()


class OutcomeItemSchema(Schema):
    post = fields.Nested(SmallPostSchema)
    summary = fields.String()
    days = fields.Float()
    at = fields.String()


class OutcomesSchema(Schema):
    count = fields.Integer()
    median_days = fields.Float(allow_none=True)
    items = fields.List(fields.Nested(OutcomeItemSchema))


class QuestionsSchema(Schema):
    asked = fields.Integer()
    answered = fields.Integer()
    median_hours_to_answer = fields.Float(allow_none=True)


class LeaderPersonSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    title = fields.String(allow_none=True)
    department = fields.String(allow_none=True)
    handle = fields.String()


class LeaderSchema(Schema):
    person = fields.Nested(LeaderPersonSchema)
    departments_reached = fields.Integer()
    engagement = fields.Integer()
    answers = fields.Integer()
    score = fields.Float()


class InsightsSchema(Schema):
    from_ = fields.String(data_key="from")
    to = fields.String()
    bucket = fields.String()
    buckets = fields.List(fields.Nested(BucketSchema))
    departments = fields.List(fields.Nested(DepartmentSchema))
    reach = fields.Nested(ReachSchema)
    top_conversations = fields.List(fields.Nested(TopConversationSchema))
    outcomes = fields.Nested(OutcomesSchema)
    questions = fields.Nested(QuestionsSchema)
    leaders = fields.List(fields.Nested(LeaderSchema))
