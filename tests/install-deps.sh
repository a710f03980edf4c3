#!/usr/bin/env bash
# Installs the Debian packages the build and the tests need, when any is missing.
# As root it runs apt-get; otherwise it prints the exact command to run.
#   tests/install-deps.sh              what make demo and make test need
#   tests/install-deps.sh --hardening  also valgrind, clang with its fuzzer runtime and gcovr
#                                      (make sanitize, valgrind, fuzz, coverage; CI)
set -eu
packages=(build-essential pkg-config libsqlite3-dev sqlite3 check python3 python3-pandas)
if [ "${1:-}" = "--hardening" ]; then
  packages+=(valgrind clang libclang-rt-14-dev gcovr)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "Missing Debian packages. Run:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
