"""The search query language: what people type -> a Query, and a Query -> each database's
full-text expression.

Plain functions, no database. Words are runs of letters and digits (folded: case and accents
dropped); everything else people type is a separator, so no character of the query ever
reaches FTS5 or tsquery syntax raw: every word is quoted when the expression is written.

    words               all must match (stemmed English); the last one is a prefix while
                        typing (the query does not end with a space)
    "exact phrase"      the words next to each other (an unclosed quote runs to the end)
    -word, -"a phrase"  must not match
    from:handle, from:me    by that person (several: any of them)
    on:context-key      on that page (several: any of them)
    has:picture  is:promoted  before:YYYY-MM-DD  after:YYYY-MM-DD

An unknown operator (or a known one with a value it does not take) is searched as words.
"""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from ..people.search import fold

MAX_TERMS = 12  # words (phrase words and excluded words included) of a query; more are ignored
MAX_WORD = 60  # characters of one word; longer ones are cut
MIN_PREFIX = 2  # a shorter last word is matched whole, not as a prefix
_TOKEN = re.compile(r'-?"[^"]*"?|[^\s"]+')
_WORD = re.compile(r"[^\W_]+")
_OPERATOR = re.compile(r"(\w+):(.+)", re.ASCII)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_HAS = {"picture", "pictures", "image", "images", "photo", "photos"}


class BadQuery(ValueError):
    """A query that cannot be searched; `code` and the sentence go to the 422."""

    def __init__(self, code, sentence):
        super().__init__(sentence)
        self.code = code


@dataclass
class Query:
    words: list[str] = field(default_factory=list)
    phrases: list[list[str]] = field(default_factory=list)
    excluded: list[list[str]] = field(default_factory=list)  # each a word or a phrase
    prefix: bool = False  # the last of `words` is a prefix
    authors: list[str] = field(default_factory=list)  # handles, or "me"
    contexts: list[str] = field(default_factory=list)
    has_picture: bool = False
    promoted: bool = False
    before: date | None = None  # created before this day
    after: date | None = None  # created after this day (from the next one)

    @property
    def filtered(self):
        """Whether an operator narrows the results (people are then not searched)."""
        return bool(self.authors or self.contexts or self.has_picture or self.promoted) or bool(
            self.before or self.after
        )

    @property
    def text_words(self):
        """Every word that must match, phrases' words included, in order."""
        return self.words + [w for phrase in self.phrases for w in phrase]


def _words(text):
    return [w[:MAX_WORD] for w in _WORD.findall(fold(text))]


def _day(value, name):
    if not _DATE.fullmatch(value):
        raise BadQuery("invalid_date", f"Write the date of {name}: as YYYY-MM-DD, e.g. 2026-12-01.")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadQuery("invalid_date", f"{value} is not a day of the calendar ({name}:).") from None


def _operator(query, name, value):
    """Apply a known operator; False when it is not one (its text is then searched)."""
    if name == "from" and re.fullmatch(r"[\w.\-]{1,60}", value, re.ASCII):
        query.authors.append(value.lower())
    elif name == "on" and len(value) <= 200:
        query.contexts.append(value)
    elif name == "has" and value.lower() in _HAS:
        query.has_picture = True
    elif name == "is" and value.lower() == "promoted":
        query.promoted = True
    elif name in ("before", "after"):
        setattr(query, name, _day(value, name))
    else:
        return False
    return True


def parse(text):
    """The Query for what was typed; BadQuery when nothing would be searched."""
    query, budget, last_plain = Query(), MAX_TERMS, False
    for token in _TOKEN.findall(text):
        last_plain = False
        negative = token.startswith("-") and len(token) > 1
        body = token[1:] if negative else token
        if body.startswith('"'):
            words = _words(body)[:budget]
            if words:
                (query.excluded if negative else query.phrases).append(words)
            budget -= len(words)
            continue
        match = None if negative else _OPERATOR.fullmatch(body)
        if match and _operator(query, match[1].lower(), match[2]):
            continue
        words = _words(body)[:budget]
        budget -= len(words)
        if not words:
            continue
        if negative:
            query.excluded.append(words)
        elif len(words) == 1:
            query.words.append(words[0])
            last_plain = True
        else:  # rail-booking, e-mail: the words next to each other, as written
            query.phrases.append(words)
    if not query.words and not query.phrases:
        raise BadQuery(
            "empty_query",
            "Type a word to search for: filters such as from: or on: narrow a search,"
            " they are not one by themselves.",
        )
    query.prefix = last_plain and not text[-1:].isspace() and len(query.words[-1]) >= MIN_PREFIX
    return query


# ---- the full-text expressions ---------------------------------------------------------------


def _fts5_quoted(words):
    return '"' + " ".join(w.replace('"', '""') for w in words) + '"'


def fts5_match(query):
    """The FTS5 MATCH expression: every term quoted (a word, a phrase, a prefix)."""
    terms = [_fts5_quoted([w]) for w in query.words]
    if query.prefix:
        last = terms.pop()
        # Stemmed whole ("booking" is stored as "book") or as the start of a word.
        terms.append(f"({last} OR {last}*)")
    terms += [_fts5_quoted(p) for p in query.phrases]
    expression = " AND ".join(terms)
    if query.excluded:
        excluded = " OR ".join(_fts5_quoted(x) for x in query.excluded)
        expression = f"({expression}) NOT ({excluded})"
    return expression


def _lexeme(word):
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def _tsquery_phrase(words):
    return (
        "(" + " <-> ".join(_lexeme(w) for w in words) + ")" if len(words) > 1 else _lexeme(words[0])
    )


def tsquery_text(query):
    """The to_tsquery('english', ...) text: every lexeme quoted (a word, a phrase, a prefix)."""
    terms = [_lexeme(w) for w in query.words]
    if query.prefix:
        last = terms.pop()
        terms.append(f"({last} | {last}:*)")
    terms += [_tsquery_phrase(p) for p in query.phrases]
    terms += [f"!{_tsquery_phrase(x)}" for x in query.excluded]
    return " & ".join(terms)


def day_bounds(query):
    """(created at or after, created before) as datetimes, None when open."""
    from datetime import datetime, time

    start = datetime.combine(query.after + timedelta(days=1), time()) if query.after else None
    end = datetime.combine(query.before, time()) if query.before else None
    return start, end
