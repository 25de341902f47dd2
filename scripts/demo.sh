#!/usr/bin/env bash
# The main job on the embedded defaults. Called by `make demo` with BIN and OUT set.
set -euo pipefail
BIN=${BIN:-.venv/bin}
OUT=${OUT:-out}
mkdir -p "$OUT"
echo "OpenIMR demo: output in $OUT/"

echo
echo "== 1. Parse the bundled example letters (every format generation) into records"
"$BIN/openimr" letter parse examples/letters/*.txt > "$OUT/parsed-letters.jsonl"
"$BIN/python" - "$OUT/parsed-letters.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    record = json.loads(line)
    outcomes = ", ".join(
        f"{item['request'][:48]} -> {item['decision']}" for item in record["items"]
    )
    print(f"  {record['case_number'] or '(no case number)'} gen {record['generation']}: {outcomes}")
PY
echo "  records: $OUT/parsed-letters.jsonl"

echo
echo "== 2. Render a determination record back into a letter (text, HTML, PDF)"
for fmt in txt html pdf; do
  "$BIN/openimr" letter render examples/records/example-determination.json \
    --format "$fmt" -o "$OUT/example-letter.$fmt" | sed 's/^/  /'
done

echo
echo "== 3. Read the rendered PDF back: the record survives the round trip"
"$BIN/openimr" letter parse "$OUT/example-letter.pdf" > "$OUT/example-letter.roundtrip.json"
"$BIN/python" - examples/records/example-determination.json "$OUT/example-letter.roundtrip.json" <<'PY'
import json, sys
original = json.load(open(sys.argv[1], encoding="utf-8"))
parsed = json.loads(open(sys.argv[2], encoding="utf-8").readline())
differing = [key for key in original if original[key] != parsed.get(key)]
print("  round trip:", "identical" if not differing else f"differs in {differing}")
PY

echo
echo "== 4. Decide a bundled (invented) case file with the determination engine"
CASE=examples/cases/lumbar-case-file.txt
ITEMS=(
  --item "Left L5-S1 transforaminal epidural steroid injection"
  --item "Norco 10/325mg #120"
  --item "Ketamine 5% cream 60gr"
  --item "Repeat MRI of the lumbar spine"
)
"$BIN/openimr" determine "$CASE" --date 2015-03-10 "${ITEMS[@]}" | sed 's/^/  /' | cut -c1-160
for fmt in txt pdf; do
  "$BIN/openimr" determine "$CASE" --date 2015-03-10 "${ITEMS[@]}" \
    --letter "$fmt" -o "$OUT/engine-letter.$fmt" > /dev/null
  echo "  wrote $OUT/engine-letter.$fmt"
done

echo
echo "== 5. The whole review path, in an embedded database: intake -> eligibility -> assignment"
echo "      -> engine draft -> finalize -> the parties' and the public (redacted) letters"
DB="$OUT/demo.db"
rm -f "$DB" "$DB-wal" "$DB-shm"
rm -rf "$OUT/letters"
export OPENIMR_DATABASE_URL="sqlite:///$DB" OPENIMR_ACTOR=demo
"$BIN/openimr" reviewers import examples/workflow/roster.csv | sed 's/^/  roster: /'
"$BIN/openimr" intake examples/workflow/lumbar-application.json \
  --document examples/cases/lumbar-case-file.txt > "$OUT/demo-intake.json"
CASE_NO=$("$BIN/python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["case_number"])' \
  "$OUT/demo-intake.json")
echo "  intake: case $CASE_NO filed with the case file attached"
"$BIN/openimr" eligibility "$CASE_NO" --as-of 2015-03-30 | "$BIN/python" -c '
import json, sys
r = json.load(sys.stdin)
outcome, track, reasons = r["outcome"], r["review_type"], ", ".join(r["reasons"]) or "none"
print(f"  eligibility: {outcome} ({track} review); failing reasons: {reasons}")'
"$BIN/openimr" assign "$CASE_NO" --as-of 2015-03-31 | "$BIN/python" -c '
import json, sys
r = json.load(sys.stdin)
chosen, n = r["reviewer_id"], len(r["candidates"])
out = len({e["reviewer_id"] for e in r["exclusions"]})
print(f"  assignment: {chosen} (best of {n} candidates; {out} reviewers excluded, each with a reason)")'
"$BIN/openimr" draft "$CASE_NO" | sed 's/^/  /' | cut -c1-160
"$BIN/openimr" finalize "$CASE_NO" | sed 's/^/  /'
"$BIN/openimr" letters "$CASE_NO" -o "$OUT/letters" > /dev/null
echo "  the parties' letters: $(ls "$OUT"/letters/*-parties.* | tr '\n' ' ')"
echo "  the public letters (party names, addresses, claim numbers redacted): $(ls "$OUT"/letters/*-public.* | tr '\n' ' ')"
