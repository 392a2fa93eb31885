#!/usr/bin/env bash
# run_all.sh KIND BINARY... — run each cmocka test binary, then print one
# summary line "KIND: N passed, N failed" (the plain line CI reads) and exit
# non-zero if any binary failed or crashed.
kind=$1; shift
passed=0; failed=0
for t in "$@"; do
  out=$("$t" 2>&1); rc=$?
  printf '%s\n' "$out"
  # A binary may run several cmocka groups: add up every group's summary line.
  p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\./\1/p' | awk '{s+=$1} END {print s+0}')
  f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s), listed below:/\1/p' | awk '{s+=$1} END {print s+0}')
  passed=$((passed + ${p:-0}))
  if [ $rc -ne 0 ]; then
    failed=$((failed + ${f:-1}))
    echo "!! $t exited with status $rc"
  fi
done
echo "$kind C tests: $passed passed, $failed failed"
[ $failed -eq 0 ]
