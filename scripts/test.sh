#!/usr/bin/env bash
# Install everything the tests need, then run the whole suite twice:
# on SQLite, and on PostgreSQL + Redis (skipped with a reason where those are not running,
# required when CI=true).
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[test]"

if ! command -v chromium >/dev/null 2>&1; then
    echo "Installing Debian's chromium for the browser tests"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
if [ -f package-lock.json ]; then
    npm ci --silent --no-audit --no-fund
fi

.venv/bin/ruff check backend tests bench
.venv/bin/ruff format --check backend bench tests

echo "== Suite on SQLite"
.venv/bin/pytest -n 2 "$@"

echo "== Suite on PostgreSQL + Redis"
CHATTER_TEST_DATABASE_URL="${CHATTER_TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}" \
CHATTER_TEST_REDIS_URL="${CHATTER_TEST_REDIS_URL:-redis://127.0.0.1:6379/0}" \
    .venv/bin/pytest -n 2 "$@"
