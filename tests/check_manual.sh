#!/bin/sh
# check_manual.sh MIGDEV BUILD_DIR SOURCE_DIR
# The manual page and bash completion say what the parser does:
#  - every option literal in the command-line code (src/cli/*.c) is in the
#    help text of some command, so it reaches the manual and completion;
#  - every option in a command's help is accepted by that command (no
#    "unknown option");
#  - the generated files hold every command and option, man renders the
#    page without warnings, and the completion completes.
set -eu
bin=$1; build=$2; src=$3
fail() { echo "FAIL: $*" >&2; exit 1; }
man1=$build/migdev.1; comp=$build/migdev.bash
[ -s "$man1" ] && [ -s "$comp" ] || fail "migdev.1 or migdev.bash not generated"
commands=$("$bin" --help | awk '/^commands:/ {on=1; next} on && /^[^ ]/ {on=0} on && /^  [a-z]/ {print $1}')
[ -n "$commands" ] || fail "no commands in migdev --help"
allhelp=$( { "$bin" --help; for c in $commands; do "$bin" "$c" --help; done; } )

# 1. parser literals -> help. Hidden on purpose (testing hooks, not for users):
#    --stop-after N   migdev sweep stops after N results (the --resume tests)
hidden="--stop-after"
for o in $(grep -ho '"--[a-z][a-z0-9-]*"' "$src"/src/cli/*.c | tr -d '"' | sort -u); do
  case " $hidden " in *" $o "*) continue ;; esac
  printf '%s\n' "$allhelp" | grep -q -- "$o\\b" || fail "the parser knows $o but no help text mentions it"
done

# 2. help -> parser; 3. help -> manual and completion
for c in $commands; do
  grep -q "^\\.SS \"migdev $c" "$man1" || fail "no section for $c in migdev.1"
  for o in $("$bin" "$c" --help | grep '^  -' | sed 's/^  //; s/   .*//' | tr ',' '\n' \
             | sed -n 's/^ *\(-[-a-zA-Z0-9]*\).*/\1/p' | sort -u); do
    err=$("$bin" "$c" "$o" 2>&1 >/dev/null </dev/null || true)
    case $err in *"unknown option"*) fail "migdev $c --help lists $o, which the parser refuses" ;; esac
    roffed=$(printf '%s' "$o" | sed 's/-/\\\\-/g')
    grep -q -- "$roffed" "$man1" || fail "$o of $c is not in migdev.1"
    grep -q "^    $c) opts=\".*$o[ \"]" "$comp" || fail "$o of $c is not completed"
  done
done

# the page renders cleanly
if command -v man >/dev/null && command -v groff >/dev/null; then
  warn=$(MANWIDTH=80 man --warnings -l "$man1" 2>&1 >/dev/null || true)
  [ -z "$warn" ] || fail "man warns: $warn"
fi
# the completion completes
out=$(bash -c '. "$1"; COMP_WORDS=(migdev run --se); COMP_CWORD=2; _migdev; echo "${COMPREPLY[*]}"' _ "$comp")
[ "$out" = "--seed --set" ] || fail "completing 'migdev run --se' gave '$out'"
out=$(bash -c '. "$1"; COMP_WORDS=(migdev rep); COMP_CWORD=1; _migdev; echo "${COMPREPLY[*]}"' _ "$comp")
[ "$out" = "report" ] || fail "completing 'migdev rep' gave '$out'"
echo "manual and completion: $(echo $commands | wc -w) commands, in step with the parser"
