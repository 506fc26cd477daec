#!/usr/bin/env bash
# `frontdoor match` end to end on small synthetic files (tests/cli/fixtures):
# a Frontdoor-style file of 80 people (one duplicated inside it) and a
# FEBRL-style file (", " separated, FEBRL's column names) of 30 of them with
# errors and 5 strangers. rec-K is A(K+1) for K of 2 to 30; rec-1 is A001
# ("Jon Smith" with day and month swapped); rec-31 to rec-35 are nobody.
#   match_test.sh FRONTDOOR FIXTURES
set -uo pipefail
frontdoor=$1
fixtures=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
check() {  # check DESCRIPTION COMMAND...
  local what=$1
  shift
  if "$@"; then echo "ok: $what"; else echo "FAILED: $what"; failures=$((failures + 1)); fi
}

# 1. Linking the FEBRL-style file to the other.
"$frontdoor" match --input "$fixtures/match_febrl.csv" --against "$fixtures/match_people.csv" \
  --output "$work/pairs.csv" 2>"$work/err.txt" </dev/null
check "link: exit status 0" test $? -eq 0
check "link: header" test "$(head -1 "$work/pairs.csv" | tr -d '\r')" = \
  "left_id,right_id,probability,match_weight,band,explanation"
check "link: no partial file left" test ! -e "$work/pairs.csv.partial"
check "link: a summary on standard error" grep -q "^match: 35 records against 80; " "$work/err.txt"
check "link: no progress bar when standard error is not a terminal" \
  bash -c "! grep -q '\[#' '$work/err.txt'"
# Every person with a true partner is linked to them, and to nobody else.
for k in $(seq 2 30); do
  expected=$(printf 'A%03d' $((k + 1)))
  check "rec-$k linked to $expected" \
    grep -q "^rec-$k-dup-0,$expected,[0-9.]*,[0-9.-]*,link," "$work/pairs.csv"
done
wrong=$(awk -F, 'NR > 1 && $5 == "link" {
  split($1, r, "-"); want = sprintf("A%03d", r[2] == 1 ? 1 : r[2] + 1); if ($2 != want) n++ }
  END { print n + 0 }' "$work/pairs.csv")
check "link: no wrong automatic link ($wrong)" test "$wrong" -eq 0
check "link: strangers never linked" bash -c "! grep -qE '^rec-3[1-5]-org,[^,]*,[^,]*,[^,]*,link,' '$work/pairs.csv'"
# Jon Smith, born 03/07 for 07/03, without his NHS number: offered, explained.
jon=$(grep "^rec-1-dup-0,A001," "$work/pairs.csv")
check "Jon Smith is found as Jonathan Smith" test -n "$jon"
check "the explanation names the nickname" grep -q "known nickname or short form" <<<"$jon"
check "the explanation names the swapped date" grep -q "day and month swapped" <<<"$jon"
check "the explanation gives weights" grep -qE "family name matches exactly \(\+[0-9]+\.[0-9]\)" <<<"$jon"

# 2. --keep: link writes fewer rows than all.
"$frontdoor" match --input "$fixtures/match_febrl.csv" --against "$fixtures/match_people.csv" \
  --keep link >"$work/link.csv" 2>/dev/null
"$frontdoor" match --input "$fixtures/match_febrl.csv" --against "$fixtures/match_people.csv" \
  --keep all >"$work/all.csv" 2>/dev/null
check "keep link: only links" bash -c "awk -F, 'NR > 1 && \$5 != \"link\"' '$work/link.csv' | grep -q . && exit 1 || exit 0"
check "keep all: more pairs than links" test "$(wc -l <"$work/all.csv")" -gt "$(wc -l <"$work/link.csv")"

# 3. Deduplicating one file: A080 is A002 with a typo.
"$frontdoor" match --input "$fixtures/match_people.csv" >"$work/dedupe.csv" 2>"$work/err.txt"
check "dedupe: exit status 0" test $? -eq 0
check "dedupe: A002 and A080 paired" grep -qE "^A002,A080,[0-9.]*,[0-9.-]*,(link|review)," "$work/dedupe.csv"
check "dedupe: summary" grep -q "^match: 80 records deduplicated; " "$work/err.txt"

# 4. Bad input: clear messages, nothing written.
"$frontdoor" match --input "$fixtures/match_people.csv" --keep sometimes >/dev/null 2>"$work/err.txt"
check "a wrong --keep is refused (status 2, says why)" \
  bash -c "test $? -eq 2 && grep -q 'keep must be link, review or all' '$work/err.txt'"
"$frontdoor" match --input "$work/missing.csv" --output "$work/out.csv" 2>"$work/err.txt"
status=$?
check "a missing file: status 1" test "$status" -eq 1
check "a missing file: no output" test ! -e "$work/out.csv"
"$frontdoor" match --input "$fixtures/match_nameless.csv" 2>"$work/err.txt"
status=$?
check "a file without names: status 1" test "$status" -eq 1
check "a file without names: says which columns" grep -q "needs a given name or family name column" "$work/err.txt"
"$frontdoor" match 2>"$work/err.txt"
check "no --input: status 2" test $? -eq 2
"$frontdoor" match --input "$fixtures/match_people.csv" --review 0.9 --auto-link 0.5 2>"$work/err.txt"
check "review above auto-link is refused" test $? -eq 2

echo "match: $failures checks failed"
exit $((failures > 0))
