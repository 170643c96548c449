# tests/check_lib.sh: sourced by the shell checks: a scratch folder removed at exit ($work), and the
# pass/fail tally (ok, bad "why"; summary NAME prints it and fails if anything did).
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAILED: $*"; }
summary() {
  echo "$1: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
