"""The query language: unit examples and properties over any text (hostile included). Whatever
is typed, the expressions sent to FTS5 and to_tsquery hold only quoted words and operators the
parser wrote itself; a real FTS5 table accepts every one of them."""

import re
import sqlite3
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chatter.search.query import MAX_TERMS, BadQuery, fts5_match, parse, tsquery_text

SYNTAX = st.sampled_from(
    ['"', "*", "^", ":", "-", "(", ")", "NEAR", "AND", "OR", "NOT", "'", "\\", "&", "|", "!",
     "<->", ":*", "from:", "on:", "before:", "after:2026-01-01", " ", "\x00", "\u0301", "é"]
)  # fmt: skip
TYPED = st.lists(st.one_of(SYNTAX, st.text(max_size=12)), max_size=40).map("".join)


def test_examples():
    q = parse('rail "exact phrase" -bus -"night train" from:ana from:me on:travel/x book')
    assert q.words == ["rail", "book"] and q.prefix
    assert q.phrases == [["exact", "phrase"]]
    assert q.excluded == [["bus"], ["night", "train"]]
    assert q.authors == ["ana", "me"] and q.contexts == ["travel/x"]
    assert fts5_match(q) == (
        '("rail" AND ("book" OR "book"*) AND "exact phrase") NOT ("bus" OR "night train")'
    )
    assert tsquery_text(q) == (
        "'rail' & ('book' | 'book':*) & ('exact' <-> 'phrase') & !'bus' & !('night' <-> 'train')"
    )
    q = parse("Ünïcode CAFÉ has:picture is:promoted before:2026-12-01 after:2026-01-31 ")
    assert q.words == ["unicode", "cafe"] and not q.prefix
    assert q.has_picture and q.promoted
    assert (q.before, q.after) == (date(2026, 12, 1), date(2026, 1, 31))
    assert parse("has:nothing is:great").phrases == [["has", "nothing"], ["is", "great"]]
    assert parse('"unclosed phrase runs on').phrases == [["unclosed", "phrase", "runs", "on"]]
    assert not parse("a").prefix  # one letter: matched whole


@pytest.mark.parametrize(
    "typed", ["", "  ", "from:me", "-x", '-"a b"', "*", '"" ^ :', "is:promoted"]
)
def test_nothing_to_search(typed):
    with pytest.raises(BadQuery) as raised:
        parse(typed)
    assert raised.value.code == "empty_query"


@pytest.mark.parametrize("typed", ["x before:2026-02-30", "x after:26-1-1", "x before:today"])
def test_bad_dates(typed):
    with pytest.raises(BadQuery) as raised:
        parse(typed)
    assert raised.value.code == "invalid_date"


def _parsed(typed):
    try:
        return parse(typed)
    except BadQuery:
        return None


@settings(max_examples=400, deadline=None)
@given(TYPED)
def test_only_quoted_words_reach_the_expressions(typed):
    query = _parsed(typed)
    if query is None:
        return
    words = query.words + [w for p in query.phrases + query.excluded for w in p]
    assert 0 < len(words) <= MAX_TERMS
    assert all(re.fullmatch(r"[^\W_]+", w) for w in words)
    outside_fts5 = re.sub(r'"[^"]*"', "", fts5_match(query))
    assert re.fullmatch(r"[ ()*ANDORT]*", outside_fts5), outside_fts5
    outside_tsquery = re.sub(r"'[^']*'", "", tsquery_text(query))
    assert re.fullmatch(r"[ ()&|!<\->:*]*", outside_tsquery), outside_tsquery


@pytest.fixture(scope="module")
def fts5():
    connection = sqlite3.connect(":memory:")
    connection.execute(
        "CREATE VIRTUAL TABLE t USING fts5(body, tokenize='porter unicode61 remove_diacritics 2',"
        " prefix='2 3')"
    )
    connection.execute("INSERT INTO t VALUES ('rail booking near the café')")
    yield connection
    connection.close()


@settings(max_examples=300, deadline=None)
@given(TYPED)
def test_fts5_accepts_every_expression(fts5, typed):
    query = _parsed(typed)
    if query is not None:
        fts5.execute("SELECT rowid FROM t WHERE t MATCH ?", (fts5_match(query),)).fetchall()


def test_very_long_input_is_cut_to_the_term_budget():
    query = parse("word " * 10_000 + '"' * 5_000)
    assert len(query.words) == MAX_TERMS
