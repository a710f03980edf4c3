# shellcheck shell=bash
# lib.sh: the preamble the tests/*.test.sh scripts share. Sourced first, as
#   . "$(dirname "$0")/lib.sh"
# it moves to the top of the tree, brings run_make (tests/make_host.sh) and defines:
#   need_ext          fails the test unless PORTFOLIO_EXT names the built extension
#   need_python       skips it (77) without Debian's /usr/bin/python3, the one whose sqlite3
#                     module can load extensions
#   need_data DIR NAME  skips test NAME (77) when the shared data folder DIR is absent
#   make_tmp          $tmp: a fresh directory, removed when the script exits
#   fail MESSAGE...   prints FAIL: MESSAGE and exits 1 (a script may define its own)
cd "$(dirname "$0")/.." || exit 1
. tests/make_host.sh

need_ext() {
  if [ -z "${PORTFOLIO_EXT:-}" ]; then
    echo "FAIL: PORTFOLIO_EXT is not set (the built extension without suffix; make test sets it)"
    exit 1
  fi
}

need_python() {
  if [ ! -x /usr/bin/python3 ]; then
    echo "skipped: needs Debian's /usr/bin/python3 (tests/install-deps.sh installs it)"; exit 77
  fi
}

need_data() {
  if [ ! -d "$1" ]; then
    echo "SKIPPED: $2 ($1 not present)"
    exit 77
  fi
}

make_tmp() {
  tmp=$(mktemp -d) || exit 1
  trap 'rm -rf "$tmp"' EXIT
}

fail() { echo "FAIL: $*"; exit 1; }
