#!/usr/bin/env bash
# Creates .venv (Python 3.11) and installs SIA into it; pass "[test]" for the test extras.
set -euo pipefail
cd "$(dirname "$0")/../.."
extras="${1:-}"
python_bin="${PYTHON:-}"
if [ -z "$python_bin" ]; then
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1; then python_bin="$candidate"; break; fi
  done
fi
[ -x .venv/bin/python ] || "$python_bin" -m venv .venv
stamp=".venv/.sia-installed${extras}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "Memasang paket Python ..."
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extras}" 2>&1 | grep -v "^WARNING: Location" || true
  .venv/bin/python -c "import django, sia" && touch "$stamp"
fi
