#!/usr/bin/env bash
# Installs the Debian packages the build and the tests need, when any is missing.
# As root it runs apt-get; otherwise it prints the exact command to run.
#   tests/install-deps.sh              what make demo and make test need
#   tests/install-deps.sh --hardening  also valgrind, clang with its fuzzer runtime and gcovr
#                                      (make sanitize, valgrind, fuzz, coverage; CI)
#   tests/install-deps.sh --cross      also the arm64 and Windows cross compilers, qemu-user and
#                                      the arm64 libraries of Debian's arm64 sqlite3 shell, through
#                                      multiarch (make cross-arm64-test, make dll; CI)
#   tests/install-deps.sh --postgres   also PostgreSQL 15 with PGXS, pg_virtualenv and
#                                      postgres_fdw (make pg-test, make pg-cluster; CI)
# The options can be combined. The default list holds the hosts the script tests load the
# extension in: Python's venv/pip/setuptools/wheel (make python), SQLAlchemy, a JDK and the
# xerial SQLite JDBC driver, DB Browser for SQLite. Node and npm are not Debian's (the tests need Node 20).
set -eu
packages=(build-essential pkg-config libsqlite3-dev sqlite3 check python3 python3-pandas
          python3-venv python3-pip python3-setuptools python3-wheel python3-sqlalchemy
          default-jdk-headless libxerial-sqlite-jdbc-java sqlitebrowser python3-numpy
          python3-sklearn)
cross=0
for option in "$@"; do
  case $option in
    --hardening) packages+=(valgrind clang libclang-rt-14-dev gcovr) ;;
    --cross) cross=1
             packages+=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user
                        gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64
                        libsqlite3-0:arm64 libreadline8:arm64 zlib1g:arm64) ;;
    --postgres) packages+=(postgresql-15 postgresql-server-dev-15 postgresql-common
                           postgresql-contrib) ;;
    *) echo "install-deps.sh: unknown option '$option' (--hardening, --cross, --postgres)" >&2
       exit 2 ;;
  esac
done
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  if [ $cross -eq 1 ] && ! dpkg --print-foreign-architectures | grep -qx arm64; then
    dpkg --add-architecture arm64
  fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "Missing Debian packages. Run:" >&2
  [ $cross -eq 1 ] && echo "  sudo dpkg --add-architecture arm64 && sudo apt-get update" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
