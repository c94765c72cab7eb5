#!/usr/bin/env bash
# Creates .venv (Python 3.11) and installs SIA into it; pass "[test]" for the test extras.
#
# The interpreter: $PYTHON if set, else the distribution's /usr/bin/python3.11 when there is one, else the first
# python3.11 (then python3) on PATH. Debian's build is optimized (profile-guided, link-time, the interpreter linked
# statically): the same Django requests took 15-25% less CPU on it than on a default pyenv build of 3.11 (shared
# libpython, no PGO) that came first on PATH (docs/benchmarks.md). A .venv made by another interpreter than the one
# chosen is made again.
set -euo pipefail
cd "$(dirname "$0")/../.."
extras="${1:-}"
python_bin="${PYTHON:-}"
if [ -z "$python_bin" ] && [ -x /usr/bin/python3.11 ] && /usr/bin/python3.11 -c "import ensurepip" 2>/dev/null; then
  python_bin=/usr/bin/python3.11
fi
if [ -z "$python_bin" ]; then
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1; then python_bin="$candidate"; break; fi
  done
fi
wanted="$("$python_bin" -c 'import os, sys; print(os.path.realpath(sys.executable))')"
if [ -x .venv/bin/python ]; then
  current="$(.venv/bin/python -c 'import os, sys; print(os.path.realpath(sys.executable))' 2>/dev/null || true)"
  if [ "$current" != "$wanted" ]; then
    echo "Membuat ulang .venv dengan $wanted (sebelumnya ${current:-rusak})"
    rm -rf .venv
  fi
fi
[ -x .venv/bin/python ] || "$python_bin" -m venv .venv
stamp=".venv/.sia-installed${extras}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "Memasang paket Python ..."
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extras}" 2>&1 | grep -v "^WARNING: Location" || true
  .venv/bin/python -c "import django, sia" && touch "$stamp"
fi
