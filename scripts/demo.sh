#!/usr/bin/env bash
# Install Chatter into .venv and run the demo: SQLite, dev identity, example intranet pages.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e .
exec .venv/bin/chatter demo "$@"
