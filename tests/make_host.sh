# shellcheck shell=bash
# make_host.sh: sourced by tests/lib.sh, the preamble of every tests/*.test.sh, for the scripts
# that run this project's own make targets.
#
# run_make ARGS...  runs `make -s ARGS` from the top of the tree, without the parent's -j. Under `make sanitize` the
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
  # Under `make -j test` the parent's MAKEFLAGS carries -jN and its jobserver's descriptors,
  # which a script's own make cannot use ("warning: jobserver unavailable" on its error
  # output, which tests compare): the sub-make keeps the parent's variables and runs serially.
  local flags
  flags=$(printf '%s' "${MAKEFLAGS:-}" | sed -E 's/(^| )-j[0-9]*//g; s/ ?--jobserver-(auth|fds)=[^ ]*//g')
  MAKEFLAGS=$flags env -u LD_PRELOAD make -s --no-print-directory "$@" "${hosts[@]+"${hosts[@]}"}"
}
