#!/usr/bin/env bash
# check_dll.sh DLL: the checks `make dll` runs on the cross-built Windows library.
#   1. It is a PE32+ (x86-64) DLL.
#   2. Its export table holds exactly one name, sqlite3_portfolio_init (SQLite looks the entry
#      point up by name; anything else exported is a name a host could clash with).
#   3. It imports only DLLs every Windows has (KERNEL32, msvcrt): no MinGW runtime DLL such as
#      libgcc_s_seh-1.dll, which a user would not have next to it.
set -u
dll=${1:?usage: check_dll.sh path/to/portfolio.dll}
objdump=${OBJDUMP:-x86_64-w64-mingw32-objdump}
fail() { echo "check_dll: $dll: $*" >&2; exit 1; }
[ -f "$dll" ] || fail "no such file"
headers=$("$objdump" -p "$dll") || fail "$objdump cannot read it"
grep -q 'file format pei-x86-64' <<<"$headers" || fail "not an x86-64 PE file"
exports=$(sed -n '/^\[Ordinal\/Name Pointer\] Table/,/^$/p' <<<"$headers" |
          sed -n 's/^[[:space:]]*\[ *[0-9]*\] //p')
[ "$exports" = "sqlite3_portfolio_init" ] ||
  fail "exports '$(tr '\n' ' ' <<<"$exports")' instead of exactly sqlite3_portfolio_init"
imports=$(sed -n 's/^[[:space:]]*DLL Name: //p' <<<"$headers" | sort -u)
for name in $imports; do
  case ${name,,} in
    kernel32.dll | msvcrt.dll) ;;
    *) fail "needs $name, which Windows does not ship (link it statically)" ;;
  esac
done
echo "check_dll: $dll: PE32+ x86-64, exports only sqlite3_portfolio_init, imports $(echo $imports)"
