#!/usr/bin/env bash
# `frontdoor match --against-store` end to end: a small demo council's store,
# a CSV of six of its children copied with errors (a family name cut short,
# two letters of a given name swapped, a digit of the year of birth wrong, no
# address, names in other cases, one exact) and two strangers; each child
# must come back as their own person id, offered for review or linked; the
# strangers never linked; one audit entry for the read of every record and
# nothing else changed in the store. Needs the sqlite3 shell to read the
# store (skipped, status 77, without it).
#   match_store_test.sh FRONTDOOR
set -uo pipefail
frontdoor=$1
if ! command -v sqlite3 >/dev/null 2>&1; then
  echo "match_store: the sqlite3 shell is not installed (scripts/setup.sh installs it)" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
check() {  # check DESCRIPTION COMMAND...
  local what=$1
  shift
  if "$@"; then echo "ok: $what"; else echo "FAILED: $what"; failures=$((failures + 1)); fi
}
store=$work/store
db=$store/frontdoor.db
sql() { sqlite3 -batch -noheader "$db" "$@"; }

if ! "$frontdoor" demo --data "$store" --families 12 --weeks 1 --contacts-per-day 4 \
  >"$work/demo.txt" 2>&1; then
  cat "$work/demo.txt"
  echo "FAILED: frontdoor demo"
  exit 1
fi

# Six children (no twin, no second record of theirs), copied with errors;
# two people who are not in the store.
quote() { local v=${1//\"/\"\"}; printf '"%s"' "$v"; }
row() {  # row ID GIVEN FAMILY DOB POSTCODE ADDRESS
  local out="" f
  for f in "$@"; do out+="${out:+,}$(quote "$f")"; done
  printf '%s\n' "$out"
}
echo "id,given_name,family_name,date_of_birth,postcode,address_line" >"$work/in.csv"
mapfile -t children < <(sql -separator $'\t' \
  "SELECT id, given_name, family_name, date_of_birth, postcode,
          COALESCE(json_extract(state, '\$.details.address.line'), '')
   FROM persons p WHERE merged_into IS NULL AND kind = 'child' AND date_of_birth IS NOT NULL
     AND date_of_birth NOT LIKE '%-02-29'
     AND NOT EXISTS (SELECT 1 FROM persons q WHERE q.id <> p.id AND q.merged_into IS NULL
                     AND q.family_name = p.family_name AND q.date_of_birth = p.date_of_birth)
   ORDER BY id LIMIT 6")
check "six children read from the store" test "${#children[@]}" -eq 6
declare -A truth  # CSV id -> person id
k=0
for line in "${children[@]}"; do
  IFS=$'\t' read -r id given family dob postcode address <<<"$line"
  k=$((k + 1))
  truth[S$k]=$id
  case $k in
    1) ;;                                                       # exact
    2) family=${family%?} ;;                                    # cut short
    3) given=${given:0:1}${given:2:1}${given:1:1}${given:3} ;;  # two letters swapped
    4)                                                          # a digit of the year
      d=${dob:3:1}
      dob=${dob:0:3}$(((d + 1) % 10))${dob:4}
      ;;
    5) postcode="" address="" ;;                                # no address
    6) given=${given^^} family=${family,,} ;;                   # other cases
  esac
  row "S$k" "$given" "$family" "$dob" "$postcode" "$address" >>"$work/in.csv"
done
row X1 Zebedee Quarrington-Vasquez 2001-01-01 "ZZ99 9ZZ" "1 Nowhere Lane" >>"$work/in.csv"
row X2 Ottoline Bramblewick 1999-12-31 "ZZ98 8YY" "2 Elsewhere Road" >>"$work/in.csv"

people=$(sql "SELECT COUNT(*) FROM persons WHERE merged_into IS NULL")
events_before=$(sql "SELECT COUNT(*) FROM events")
audit_before=$(sql "SELECT COUNT(*) FROM audit")
persons_before=$(sql "SELECT * FROM persons ORDER BY id" | md5sum)

# 1. The match.
"$frontdoor" match --input "$work/in.csv" --against-store --data "$store" \
  --output "$work/pairs.csv" 2>"$work/err.txt" </dev/null
status=$?
check "store: exit status 0" test "$status" -eq 0
[[ $status -eq 0 ]] || cat "$work/err.txt"
check "store: header as the other modes" test "$(head -1 "$work/pairs.csv" | tr -d '\r')" = \
  "left_id,right_id,probability,match_weight,band,explanation"
check "store: no partial file left" test ! -e "$work/pairs.csv.partial"
check "store: summary of records against the store's people" \
  grep -q "^match: 8 records against $people; " "$work/err.txt"
check "store: says the read is audited" grep -q "in the audit log (bulk_match, people/all)" \
  "$work/err.txt"
check "store: says which model" grep -qE "^match: (the reference model|model trained on)" \
  "$work/err.txt"
for s in S1 S2 S3 S4 S5 S6; do
  id=${truth[$s]}
  check "$s found as person $id (link or review)" \
    grep -qE "^$s,$id,[0-9.]*,[0-9.-]*,(link|review)," "$work/pairs.csv"
  best=$(awk -F, -v s="$s" 'NR > 1 && $1 == s && $3 > p { p = $3; b = $2 } END { print b }' \
    "$work/pairs.csv")
  check "$s: person $id is the likeliest ($best)" test "$best" = "$id"
done
check "the exact copy is linked" grep -qE "^S1,${truth[S1]},[0-9.]*,[0-9.-]*,link," "$work/pairs.csv"
wrong=0
for s in S1 S2 S3 S4 S5 S6; do
  n=$(awk -F, -v s="$s" -v id="${truth[$s]}" 'NR > 1 && $1 == s && $5 == "link" && $2 != id' \
    "$work/pairs.csv" | wc -l)
  wrong=$((wrong + n))
done
check "no child linked to a brother, sister or parent ($wrong)" test "$wrong" -eq 0
check "strangers never linked" bash -c "! grep -qE '^X[12],[^,]*,[^,]*,[^,]*,link,' '$work/pairs.csv'"
check "only person ids on the right" \
  bash -c "awk -F, 'NR > 1 && \$2 !~ /^[0-9]+\$/ { bad = 1 } END { exit bad }' '$work/pairs.csv'"

# 2. Audited once; nothing else in the store changed; the chains intact.
check "one audit entry more" test "$(sql "SELECT COUNT(*) FROM audit")" -eq $((audit_before + 1))
entry=$(sql -separator '|' "SELECT action, subject, username, outcome, basis FROM audit
                            ORDER BY seq DESC LIMIT 1")
check "the entry: bulk_match of people/all by Frontdoor, allowed" \
  grep -q "^bulk_match|people/all|system|allowed|" <<<"$entry"
check "the entry names the operator ($(id -un))" \
  grep -qF "by operator $(id -un) (uid $(id -u))" <<<"$entry"
check "the entry names the file" grep -qF "$work/in.csv" <<<"$entry"
check "the entry counts the records read" grep -qF "($people)" <<<"$entry"
check "no event written" test "$(sql "SELECT COUNT(*) FROM events")" -eq "$events_before"
check "no person record changed" test "$(sql "SELECT * FROM persons ORDER BY id" | md5sum)" = \
  "$persons_before"
"$frontdoor" verify --data "$store" >/dev/null 2>&1
check "the hash chains verify" test $? -eq 0

# 3. Standard output and --keep; every run is its own audited read.
"$frontdoor" match --input "$work/in.csv" --against-store --data "$store" --keep link \
  >"$work/link.csv" 2>/dev/null
check "keep link: only links, on standard output" \
  bash -c "head -1 '$work/link.csv' | grep -q '^left_id,' && ! awk -F, 'NR > 1 && \$5 != \"link\"' '$work/link.csv' | grep -q ."
check "a second run: a second entry" \
  test "$(sql "SELECT COUNT(*) FROM audit WHERE action = 'bulk_match'")" -eq 2

# 4. Errors: clear, status 1 or 2, nothing created, no read audited.
audit_now=$(sql "SELECT COUNT(*) FROM audit")
"$frontdoor" match --input "$work/in.csv" --against-store --data "$work/nowhere" \
  --output "$work/out.csv" 2>"$work/err.txt"
status=$?
check "no data folder: status 1" test "$status" -eq 1
check "no data folder: says so" grep -q "there is no data folder" "$work/err.txt"
check "no data folder: none created, no output" test ! -e "$work/nowhere" -a ! -e "$work/out.csv"
mkdir "$work/empty"
"$frontdoor" match --input "$work/in.csv" --against-store --data "$work/empty" 2>"$work/err.txt"
status=$?
check "a data folder without a store: status 1" test "$status" -eq 1
check "a data folder without a store: names the file" grep -q "frontdoor.db does not exist" \
  "$work/err.txt"
check "a data folder without a store: no store created" test -z "$(ls -A "$work/empty")"
printf 'id,dob\n1,2015-03-07\n' >"$work/nameless.csv"
"$frontdoor" match --input "$work/nameless.csv" --against-store --data "$store" 2>"$work/err.txt"
status=$?
check "a file without names: status 1" test "$status" -eq 1
check "a file without names: says which columns" \
  grep -q "needs a given name or family name column" "$work/err.txt"
"$frontdoor" match --input "$work/missing.csv" --against-store --data "$store" 2>/dev/null
check "a missing file: status 1" test $? -eq 1
check "a file that cannot be read: the store is not read" \
  test "$(sql "SELECT COUNT(*) FROM audit")" -eq "$audit_now"
"$frontdoor" match --input "$work/in.csv" --against "$work/in.csv" --against-store \
  --data "$store" 2>"$work/err.txt"
check "--against with --against-store: status 2" test $? -eq 2
"$frontdoor" match --input "$work/in.csv" --data "$store" 2>"$work/err.txt"
check "--data without --against-store: status 2" test $? -eq 2
check "help: --against-store" bash -c "'$frontdoor' match --help | grep -q -- '--against-store'"

echo "match_store: $failures checks failed"
exit $((failures > 0))
