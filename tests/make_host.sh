# shellcheck shell=bash
# make_host.sh: sourced by the test scripts that run this project's own make targets.
#
# run_make ARGS...  runs `make -s ARGS` from the top of the tree. Under `make sanitize` the
# whole suite runs with libasan preloaded (LD_PRELOAD), so that the sqlite3 shell and Python
# can load the instrumented extension; make itself is not built for that and ASan stops it on
# its own string handling. So make runs without the preload, and the two hosts that load the
# extension (the make variables SQLITE3 and PYTHON_HOST of mk/demo.mk) get it back.
run_make() {
  local hosts=()
  if [ -n "${LD_PRELOAD:-}" ]; then
    hosts=(SQLITE3="env LD_PRELOAD=$LD_PRELOAD sqlite3"
           PYTHON_HOST="env LD_PRELOAD=$LD_PRELOAD /usr/bin/python3")
  fi
  env -u LD_PRELOAD make -s --no-print-directory "$@" "${hosts[@]+"${hosts[@]}"}"
}
