#!/usr/bin/env bash
# Command two: install everything the tests need and run the whole suite,
# on SQLite and on PostgreSQL. Exits non-zero if anything fails (or no test ran).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
cd "$ROOT"

# 1. System packages: Chromium for browser tests, gettext for translations,
#    PostgreSQL and Redis only when no server answers at 127.0.0.1:5432 / :6379.
pg_up() { (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }
redis_up() { (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; }
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if ! pg_up && ! ls /etc/postgresql/*/main >/dev/null 2>&1; then missing+=(postgresql); fi
if ! redis_up && ! command -v redis-server >/dev/null 2>&1; then missing+=(redis-server); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> Installing system packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if ! redis_up; then
  echo "==> Starting Redis (in memory only)"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /tmp --logfile /tmp/humaine-test-redis.log
  for _ in $(seq 1 30); do redis_up && break; sleep 1; done
fi
PG_URL="${TEST_DATABASE_URL:-postgres://postgres:postgres@127.0.0.1:5432/test}"
if ! pg_up; then
  echo "==> Starting PostgreSQL"
  cluster="$(ls /etc/postgresql | sort -V | tail -n 1)"
  as_root pg_ctlcluster --skip-systemctl-redirect "$cluster" main start
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
  # A fresh server wants a password over TCP: give the test role one (local servers only).
  as_root su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
fi

# 2. Python packages (torch only from a local CPU wheel: the plain one is several GB of CUDA).
ensure_venv
echo "==> Installing HUMAINE with its test dependencies"
"$VENV/bin/pip" install --quiet -e ".[dev]"
if ! "$VENV/bin/python" -c "import torch" 2>/dev/null; then
  if ls /opt/wheels/torch-2.13.0* >/dev/null 2>&1 || [ "${HUMAINE_TEST_TORCH:-0}" = 1 ]; then
    "$VENV/bin/pip" install --quiet "torch==2.13.0"
  else
    echo "    (torch not installed: the optional learned-deferral tests will be skipped)"
  fi
fi

# 3. axe-core for the accessibility checks in the browser tests (from the npm registry).
AXE_DIR="$ROOT/var/node"
if [ ! -f "$AXE_DIR/node_modules/axe-core/axe.min.js" ]; then
  echo "==> Installing axe-core"
  npm install --silent --no-audit --no-fund --prefix "$AXE_DIR" axe-core@4 >/dev/null
fi
export AXE_CORE_JS="$AXE_DIR/node_modules/axe-core/axe.min.js"
export HUMAINE_REQUIRE_BROWSER=1 HUMAINE_REQUIRE_REDIS=1

# 4. Static checks.
echo "==> Lint and format (ruff)"
"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check .
echo "==> Types (mypy teaming)"
"$VENV/bin/mypy" teaming
echo "==> Migrations and translations are up to date"
DEBUG=1 "$VENV/bin/python" manage.py makemigrations --check --dry-run >/dev/null
"$VENV/bin/python" scripts/check_translations.py

# 5. The suite: everything on SQLite, then the hub's tests again on PostgreSQL.
echo "==> Tests on SQLite"
"$VENV/bin/pytest" -p no:cacheprovider -n 2 --dist loadgroup "$@"
echo "==> Tests on PostgreSQL ($PG_URL)"
DATABASE_URL="$PG_URL" "$VENV/bin/pytest" -p no:cacheprovider -n 2 --dist loadgroup \
  -m "not browser" humaine "$@"
echo "==> All tests passed"
