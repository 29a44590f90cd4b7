"""GET /insights and /insights.csv: the organization sees itself."""

import csv
import io

from flask import Blueprint, current_app, g

from ..auth import is_admin, login_required
from ..errors import ApiError
from ..insights import report, rollups
from ..insights.schemas import InsightsQuerySchema, InsightsSchema
from ..openapi import doc
from .inputs import load_query

bp = Blueprint("insights", __name__)
insights_query = InsightsQuerySchema()


def _bad(detail, code):
    return ApiError(400, detail, code=code)


def load_range(args):
    """(first day, last day, bucket) of a request, whole buckets; 400 when it makes no sense."""
    bucket = args.get("bucket", "month")
    if bucket not in ("week", "month"):
        raise _bad("`bucket` is `week` or `month`.", "invalid_bucket")
    first, last = report.default_range(bucket)
    if "from_" in args:
        first = report.parse_day(args["from_"])
        if first is None:
            raise _bad("`from` is a day as YYYY-MM-DD.", "invalid_date")
    if "to" in args:
        last = report.parse_day(args["to"])
        if last is None:
            raise _bad("`to` is a day as YYYY-MM-DD.", "invalid_date")
    if first > last:
        raise _bad("`from` is after `to`.", "invalid_range")
    if (last - first).days >= report.MOST_DAYS:
        raise _bad("Ask for at most three years at once.", "range_too_long")
    return (*report.snapped(first, last, bucket), bucket)


def _answer():
    if current_app.config["CHATTER_INSIGHTS"] == "admins" and not is_admin(g.reader):
        raise ApiError(403, "Insights are for admins here.", code="insights_restricted")
    first, last, bucket = load_range(load_query(insights_query))
    rollups.ensure_built(first, last)
    return report.report(first, last, bucket, g.head)


@bp.get("/insights")
@doc(query=InsightsQuerySchema, response=InsightsSchema)
@login_required
def get_insights():
    """Interactions, people, departments, reach, top conversations, outcomes, questions and
    knowledge leaders over a range (default: the last twelve months), by week or month."""
    return _answer()


@bp.get("/insights.csv")
@doc(query=InsightsQuerySchema)
@login_required
def get_insights_csv():
    """The insights' bucket table as CSV (a header row, then one row per bucket)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(report.csv_rows(_answer()))
    return current_app.response_class(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="insights.csv"'},
    )
