#!/usr/bin/env bash
# Command one: run the hub with demo data on SQLite at http://127.0.0.1:8000
# (creates the virtual environment and installs the project on first use).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
cd "$ROOT"
ensure_venv
echo "==> Installing HUMAINE into $VENV"
"$VENV/bin/pip" install --quiet -e .
# A local demo: DEBUG on, a throw-away secret, data in ./var (SQLite).
export DEBUG="${DEBUG:-1}"
ADDRESS="${1:-127.0.0.1:8000}"
# Links in emails and exports point to where the hub is served.
SITE_URL="${SITE_URL:-$("$VENV/bin/python" -c 'import sys; from humaine.cli import site_url_for; print(site_url_for(sys.argv[1]))' "$ADDRESS")}"
export SITE_URL
"$VENV/bin/humaine" migrate --verbosity 0
"$VENV/bin/humaine" demo
echo "==> The hub runs at $SITE_URL (stop with Ctrl-C)"
exec "$VENV/bin/humaine" run "$ADDRESS"
