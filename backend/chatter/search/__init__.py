"""Search: conversations, comments and people (issue 11).

query.py parses what people type into a Query; index.py keeps the full-text indexes (FTS5 on
SQLite, a generated tsvector on PostgreSQL); ranked.py turns a Query into each database's SQL
and one ranked page; excerpts.py builds the highlights; results.py assembles the answer.
"""
