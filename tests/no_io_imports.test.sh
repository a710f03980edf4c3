#!/usr/bin/env bash
# SECURITY.md: the extension never opens files or sockets, starts processes or loads code.
# Checked on what the library imports: a plain build of ext/core and ext/sqlite (whatever flavour the
# suite's own build is: coverage and sanitizer runtimes import fopen and more) and, when it
# is not instrumented, the library the suite loads ($PORTFOLIO_EXT.so). A loadable SQLite
# extension reaches SQLite through the sqlite3_api table, so everything it imports comes
# from the C library; none of it may be one of the functions below.
set -u
. "$(dirname "$0")/lib.sh"
forbidden='^(fopen|fopen64|freopen|fdopen|open|open64|openat|openat64|creat|creat64|opendir|
mkdir|rmdir|unlink|unlinkat|remove|rename|renameat|truncate|ftruncate|symlink|link|chmod|chown|
socket|socketpair|connect|bind|listen|accept|accept4|send|sendto|sendmsg|recv|recvfrom|recvmsg|
getaddrinfo|gethostbyname|gethostbyname2|system|popen|fork|vfork|clone|execve|execv|execvp|
execl|execlp|posix_spawn|posix_spawnp|dlopen|dlsym|mmap|mmap64|write|pwrite|pwrite64|fwrite|
fputs|puts|printf|fprintf|putchar|perror|syscall|ptrace|kill|signal|sigaction|pthread_create)$'
forbidden=${forbidden//$'\n'/}

command -v nm >/dev/null || { echo "nm not found (Debian: binutils)"; exit 77; }
cc=${CC:-cc}
command -v "$cc" >/dev/null || { echo "no C compiler ($cc)"; exit 77; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck disable=SC2046
"$cc" -O2 -fPIC -shared $(pkg-config --cflags sqlite3 2>/dev/null) -o "$tmp/portfolio.so" \
  -Iext/core -Iext/sqlite ext/core/*.c ext/sqlite/*.c -lm || { echo "cannot build ext/"; exit 1; }

status=0
check() { # $1: library
  local imports bad
  imports=$(nm -D --undefined-only "$1" | awk '{print $NF}' | sed 's/@.*//' | sort -u)
  if [ -z "$imports" ]; then echo "no imports listed for $1?"; status=1; return; fi
  bad=$(grep -E "$forbidden" <<<"$imports")
  if [ -n "$bad" ]; then
    echo "FAIL: $1 imports: $(tr '\n' ' ' <<<"$bad")"; status=1
  else
    echo "ok: $1 imports only: $(tr '\n' ' ' <<<"$imports")"
  fi
  # The loadable library reaches SQLite only through sqlite3_api: no sqlite3_* imports.
  if grep -q '^sqlite3_' <<<"$imports"; then
    echo "FAIL: $1 calls SQLite directly: $(grep '^sqlite3_' <<<"$imports" | tr '\n' ' ')"
    status=1
  fi
}

check "$tmp/portfolio.so"
lib=${PORTFOLIO_EXT:-}.so
if [ -n "${PORTFOLIO_EXT:-}" ] && [ -f "$lib" ]; then
  if nm -D "$lib" | grep -qE '__gcov_|__asan_|__ubsan_|__sanitizer'; then
    echo "skip $lib: instrumented build (its runtime imports file functions)"
  else
    check "$lib"
  fi
fi
exit $status
