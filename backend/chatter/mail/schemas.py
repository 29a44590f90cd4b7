"""The preferences' shape and their strict input."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..schemas import Text
from .models import DIGEST_PERIODS


class StrictBoolean(fields.Boolean):
    """true or false, nothing that merely looks like one ("yes", 1)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise ValidationError("Must be true or false.")
        return value


class PreferencesSchema(Schema):
    email_mentions = fields.Boolean(
        metadata={"description": "E-mail mentions and replies left unread for a while."}
    )
    email_digest = fields.String(
        metadata={"description": "How often to send a digest: off, daily or weekly."}
    )
    show_in_insights = fields.Boolean(
        metadata={"description": "Whether you may be listed among the knowledge leaders."}
    )


class PreferencesPatchSchema(Schema):
    email_mentions = StrictBoolean()
    email_digest = Text(validate=validate.OneOf(DIGEST_PERIODS))
    show_in_insights = StrictBoolean()

    @validates_schema
    def _something(self, data, **kwargs):
        if not data:
            raise ValidationError("Send email_mentions, email_digest, show_in_insights or some.")
