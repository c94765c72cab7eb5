#!/usr/bin/env bash
# Installs the Debian packages the tests need when they are missing: chromium (browser tests),
# graphviz (diagrams), PostgreSQL 15 (the second database the suite runs on) and LibreOffice Writer without its
# GUI (the Dokumen Arsitektur SPBE tests convert the DOCX to PDF with `soffice --headless`), and the venv module of
# Debian's Python 3.11.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v dot >/dev/null 2>&1 || need+=(graphviz)
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql-15)
fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
# Debian's own Python 3.11 (optimized; scripts/lib/venv.sh prefers it) needs its venv package to make .venv.
if [ -x /usr/bin/python3.11 ] && ! /usr/bin/python3.11 -c "import ensurepip" 2>/dev/null; then need+=(python3.11-venv); fi
[ ${#need[@]} -eq 0 ] && exit 0
echo "Memasang paket sistem: ${need[*]}"
if [ "$(id -u)" -eq 0 ]; then sudo_cmd=(); else sudo_cmd=(sudo); fi
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
