#!/usr/bin/env bash
# The CSV import never misreads without a word: each way a file used to be read wrongly (issue
# 14's list) gets a small file made here, and the import must either read it correctly (the
# values below are worked by hand from the file's text) or refuse it with a message naming
# the line. Every case runs, each printing PASS or FAIL, so that one run shows all of them.
#   1. Separators: '1.234,50' and '1.234' in a column that proves ',' decimal are 1234.5 and
#      1234; a column of '1.234' alone is refused as ambiguous until DECIMAL= says; a column
#      mixing both is refused naming both lines.
#   2. Dates: a US file read with DATE_FORMAT=%d/%m/%Y is refused (the format that reads it
#      named); a file whose days never pass 12 is refused until DATE_ORDER_CHECKED=1; a time
#      after the date ('12/1/2010 8:26') is dropped.
#   3. '1e400' and a product that overflows are reported with their lines and skipped.
#   4. An unterminated quote and a duplicated header name stop the import, naming the lines.
#   5. ';' and tab files are read (delimiter from the header); DELIMITER= reaches the import
#      through make.
#   6. A UTF-16 or a Windows-1252 file is refused with an ENCODING= that reads it, and does.
#      Also refused, each with its message: a header that splits equally at ',' and ';', a
#      delimiter of two characters, UTF-16 without a byte-order mark (utf-16-le named), a byte
#      only latin-1 reads, an unknown encoding.
#   7. make review DB=typo.db refuses a missing database and creates no file.
#   8. The review of a CSV names its file and the records read, imported and skipped, in the
#      shell and in review.html, from the import_log table.
set -u
. "$(dirname "$0")/lib.sh"
need_ext
: "${BUILD:=build}"
need_python
make_tmp
failed=0
pass() { echo "PASS: $case"; }
fail() {
  echo "FAIL: $case: $*"; [ -f "$tmp/err" ] && sed 's/^/  | /' "$tmp/err"; failed=$((failed + 1))
}
import() {  # import FILE [options]: sql/import_csv.py into $tmp/$case.db, stderr in $tmp/err
  local file=$1; shift
  /usr/bin/python3 sql/import_csv.py "$@" "$tmp/$file" "$tmp/$case.db" 2> "$tmp/err"
}
rows() {  # the imported invoices, "customer|date|amount ..." (nothing when there is no database)
  [ -f "$tmp/$case.db" ] || return 0
  sqlite3 -readonly "$tmp/$case.db" "SELECT customer_id, invoice_date, amount FROM invoices
                           ORDER BY invoice_id" 2>&1 | tr '\n' ' '
}
says() { grep -qF -- "$1" "$tmp/err"; }
review() { run_make review REVIEW_EXT="$PORTFOLIO_EXT" BUILD="$BUILD" \
             REVIEW_DB="$tmp/$case.db" REVIEW_HTML="$tmp/$case.html" "$@"; }

case=european-separators
printf 'customer,date,amount\nA,2025-01-02,"1.234,50"\nB,2025-01-03,1.234\nC,2025-01-04,"12,5"\n' \
  > "$tmp/eu.csv"
if ! import eu.csv; then fail "the import failed"
elif [ "$(rows)" != "A|2025-01-02|1234.5 B|2025-01-03|1234.0 C|2025-01-04|12.5 " ]; then
  fail "read as $(rows)"
else pass; fi

case=ambiguous-separator
printf 'customer,date,amount\nA,2025-01-02,1.234\nB,2025-01-03,2.500\nC,2025-01-04,7\n' \
  > "$tmp/amb.csv"
if import amb.csv; then fail "imported a file whose '1.234' could be 1234 or 1.234: $(rows)"
elif ! says "amb.csv: column amount: line 2 '1.234' could be 1234" || ! says "DECIMAL=,"; then
  fail "no refusal naming line 2 and DECIMAL="
elif ! import amb.csv --decimal , ||
     [ "$(rows)" != "A|2025-01-02|1234.0 B|2025-01-03|2500.0 C|2025-01-04|7.0 " ]; then
  fail "with --decimal ,: $(rows)"
elif ! import amb.csv --decimal . ||
     [ "$(rows)" != "A|2025-01-02|1.234 B|2025-01-03|2.5 C|2025-01-04|7.0 " ]; then
  fail "with --decimal .: $(rows)"
else pass; fi

case=mixed-separators
printf 'customer,date,amount\nA,2025-01-02,"3,5"\nB,2025-01-03,4\nC,2025-01-04,3.25\n' \
  > "$tmp/mix.csv"
if import mix.csv; then fail "imported a column with both decimal separators: $(rows)"
elif ! says "mixes decimal separators: line 2 '3,5' reads with ',', line 4 '3.25' with '.'"
then
  fail "no refusal naming lines 2 and 4"
else pass; fi

case=us-dates-read-day-first
printf 'customer,date,amount\nA,12/1/2025,5\nB,12/13/2025,7\nC,1/2/2025,9\n' > "$tmp/us.csv"
if import us.csv --date-format %d/%m/%Y; then fail "imported US dates day-first: $(rows)"
elif ! says "us.csv:3: '12/13/2025' is not a date in DATE_FORMAT=%d/%m/%Y" ||
     ! says "use DATE_FORMAT=%m/%d/%Y"; then fail "no refusal naming line 3 and the format"
elif ! import us.csv --date-format %m/%d/%Y ||
     [ "$(rows)" != "A|2025-12-01|5.0 B|2025-12-13|7.0 C|2025-01-02|9.0 " ]; then
  fail "with %m/%d/%Y: $(rows)"
else pass; fi

case=day-month-never-proven
printf 'customer,date,amount\nA,12/1/2025,5\nB,3/11/2025,7\n' > "$tmp/dm.csv"
if import dm.csv --date-format %d/%m/%Y; then fail "guessed the day/month order: $(rows)"
elif ! says "dm.csv:2: '12/1/2025' reads as 2025-01-12 with DATE_FORMAT=%d/%m/%Y" ||
     ! says "and as 2025-12-01 with %m/%d/%Y"; then fail "no report naming line 2 and both readings"
elif ! import dm.csv --date-format %d/%m/%Y --date-order-checked ||
     [ "$(rows)" != "A|2025-01-12|5.0 B|2025-11-03|7.0 " ]; then
  fail "with the order confirmed: $(rows)"
else pass; fi

case=time-after-date
printf 'customer,date,amount\nA,12/1/2010 8:26,5\nB,12/13/2010 17:05:09,7\nC,1/2/2011 9:15 PM,1\n' \
  > "$tmp/time.csv"
if ! import time.csv --date-format %m/%d/%Y; then fail "the import failed"
elif [ "$(rows)" != "A|2010-12-01|5.0 B|2010-12-13|7.0 C|2011-01-02|1.0 " ]; then
  fail "read as $(rows)"
else pass; fi

case=infinity-and-overflow
{ echo customer,date,quantity,price; echo A,2025-01-02,2,1e400; echo B,2025-01-03,1e200,1e200
  echo C,2025-01-04,2,3.5; } > "$tmp/inf.csv"
if ! import inf.csv --amount 'quantity*price'; then fail "the import failed"
elif ! says "inf.csv:2: amount is out of range: price = '1e400'; skipped" ||
     ! says "inf.csv:3: amount is out of range: the product 1e200 * 1e200 overflows; skipped"; then
  fail "lines 2 and 3 not reported as out of range"
elif [ "$(rows)" != "C|2025-01-04|7.0 " ]; then fail "imported $(rows)"
else pass; fi

case=unterminated-quote
printf 'customer,date,amount\nA,2025-01-02,5\nB,"2025-01-03,6\nC,2025-01-04,7\nD,2025-01-05,8\n' \
  > "$tmp/quote.csv"
printf 'customer,date,amount\nA,2025-01-02,5\nB,"2025-01-03,6\nC,2025-01-04",7\nD,2025-01-05,8\n' \
  > "$tmp/quote2.csv"
if import quote.csv; then fail "imported past an open quote: $(rows)"
elif ! says "quote.csv:3: a quote opened on this line is never closed: the record runs on to" ||
     ! says "to line 5, taking in 2 more lines"; then fail "no error naming lines 3 and 5"
elif import quote2.csv; then fail "imported a record whose date swallowed line 4: $(rows)"
elif ! says "quote2.csv:3: a quote opened on this line is never closed" ||
     ! says "runs on to line 4, taking in 1 more line"; then fail "quote2.csv: no error naming lines 3 and 4"
else pass; fi

case=duplicate-header
printf 'customer,amount,date,Amount\nA,1,2025-01-02,5\n' > "$tmp/dup.csv"
if import dup.csv --amount Amount && [ "$(rows)" != "A|2025-01-02|5.0 " ]; then
  fail "'Amount' matched column 4 exactly, but read $(rows)"
elif import dup.csv --amount AMOUNT; then fail "chose one of two columns named amount: $(rows)"
elif ! says "dup.csv:1: the header names 'AMOUNT' twice (columns 2 and 4)"; then
  fail "no error naming columns 2 and 4"
else pass; fi

case=semicolon-and-tab
printf 'Kunde;Datum;Betrag\nA;2025-01-02;"1.234,5"\nB;2025-01-03;7\n' > "$tmp/semi.csv"
printf 'customer\tdate\tamount\nA\t2025-01-02\t3.5\nB\t2025-01-03\t7\n' > "$tmp/tab.csv"
if ! review CSV="$tmp/semi.csv" CUSTOMER=Kunde DATE=Datum AMOUNT=Betrag > /dev/null 2> "$tmp/err"
then fail "make review of a ';' file failed"
elif [ "$(rows)" != "A|2025-01-02|1234.5 B|2025-01-03|7.0 " ]; then fail "read as $(rows)"
elif ! review CSV="$tmp/tab.csv" > /dev/null 2> "$tmp/err"; then fail "make review of a tab file"
elif [ "$(rows)" != "A|2025-01-02|3.5 B|2025-01-03|7.0 " ]; then fail "tab file read as $(rows)"
else pass; fi

case=delimiter-through-make
printf 'customer:date:amount\nA:2025-01-02:3\nB:2025-01-03:4\n' > "$tmp/colon.csv"
if review CSV="$tmp/colon.csv" > /dev/null 2> "$tmp/err"; then
  fail "a ':' file read without DELIMITER="
elif ! review CSV="$tmp/colon.csv" DELIMITER=: > /dev/null 2> "$tmp/err"; then
  fail "make review DELIMITER=: failed"
elif [ "$(rows)" != "A|2025-01-02|3.0 B|2025-01-03|4.0 " ]; then fail "read as $(rows)"
else pass; fi

case=encoding-hints
/usr/bin/python3 -c "import sys
text = 'customer,date,amount\nCaf\u00e9 \u20ac,2025-01-02,5\n'
open(sys.argv[1] + '/u16.csv', 'w', encoding='utf-16').write(text)
open(sys.argv[1] + '/win.csv', 'w', encoding='cp1252').write(text)" "$tmp"
if import u16.csv; then fail "read a UTF-16 file as UTF-8: $(rows)"
elif ! says "u16.csv: not utf-8-sig text; it starts with a UTF-16 byte-order mark: ENCODING=utf-16"
then fail "no hint naming utf-16"
elif ! import u16.csv --encoding utf-16 || [ "$(rows)" != "Café €|2025-01-02|5.0 " ]; then
  fail "ENCODING=utf-16 does not read it: $(rows)"
elif import win.csv; then fail "read a Windows-1252 file as UTF-8"
elif ! says "ENCODING=cp1252 (Windows Western European) reads it"; then fail "no cp1252 hint"
elif ! import win.csv --encoding cp1252 || [ "$(rows)" != "Café €|2025-01-02|5.0 " ]; then
  fail "ENCODING=cp1252 does not read it: $(rows)"
else pass; fi

case=refusals-of-options-and-files
printf 'customer,date;amount\nA,2025-01-02;3\n' > "$tmp/tie.csv"
printf 'customer\tdate\tamount\nA\t2025-01-02\t3\n' > "$tmp/tab2.csv"
/usr/bin/python3 -c "import sys
text = 'customer,date,amount\nA\u0101,2025-01-02,5\n'
open(sys.argv[1] + '/le.csv', 'wb').write(text.encode('utf-16-le'))
open(sys.argv[1] + '/odd.csv', 'wb').write(b'customer,date,amount\nA\x81,2025-01-02,5\n')" "$tmp"
if import tie.csv; then fail "guessed between ',' and ';': $(rows)"
elif ! says "tie.csv:1: cannot tell the delimiter: the header splits into 2 fields at ',' and ';'"
then fail "no delimiter tie error"
elif import tie.csv --delimiter '::'; then fail "accepted a two-character delimiter"
elif ! says "--delimiter must be one character or 'tab', got '::'"; then fail "no delimiter error"
elif ! import tab2.csv --delimiter tab || [ "$(rows)" != "A|2025-01-02|3.0 " ]; then
  fail "--delimiter tab read $(rows)"
elif import le.csv; then fail "read UTF-16 without a byte-order mark as UTF-8"
elif ! says "every other byte is 0, as in UTF-16: ENCODING=utf-16-le reads it"; then
  fail "no utf-16-le hint"
elif ! import le.csv --encoding utf-16-le || [ "$(rows)" != "Aā|2025-01-02|5.0 " ]; then
  fail "ENCODING=utf-16-le read $(rows)"
elif import odd.csv; then fail "read a byte 0x81 as UTF-8"
elif ! says "ENCODING=latin-1 (ISO 8859-1) reads it"; then fail "no latin-1 hint (cp1252 lacks 0x81)"
elif import eu.csv --date-format %d/%m/%Y --encoding no-such-codec; then fail "unknown encoding"
elif ! says "unknown encoding 'no-such-codec'"; then fail "no unknown-encoding error"
else pass; fi

case=missing-database
if run_make review REVIEW_EXT="$PORTFOLIO_EXT" BUILD="$BUILD" DB="$tmp/typo.db" \
     REVIEW_HTML="$tmp/typo.html" > /dev/null 2> "$tmp/err"; then
  fail "make review DB=typo.db succeeded"
elif [ -e "$tmp/typo.db" ]; then fail "make review DB=typo.db left $(wc -c < "$tmp/typo.db") bytes"
elif ! says "make review: no database '$tmp/typo.db'"; then fail "no message naming typo.db"
else pass; fi

case=review-names-its-source
printf 'customer,date,amount\nA,2025-01-02,5\nB,2025-01-03,x\nC,2025-01-04,7\n\n' > "$tmp/src.csv"
if ! review CSV="$tmp/src.csv" > "$tmp/out" 2> "$tmp/err"; then fail "make review failed"
elif ! grep -q '^Source: the CSV file this review was imported from$' "$tmp/out"; then
  fail "no Source box in the printed review"
elif ! grep -qE '^│ file +│ src.csv +│$' "$tmp/out" ||
     ! grep -qE '^│ records read +│ 3 +│$' "$tmp/out" ||
     ! grep -qE '^│ imported +│ 2 +│$' "$tmp/out" ||
     ! grep -qE '^│ skipped \(malformed\) +│ 1 +│$' "$tmp/out"; then
  fail "the Source box does not say src.csv, 3 read, 2 imported, 1 skipped"
  cat "$tmp/out"
elif ! grep -q '<td>src.csv</td>' "$tmp/$case.html" ||
     ! grep -q 'Source: the CSV file this review was imported from' "$tmp/$case.html"; then
  fail "review.html has no Source table naming src.csv"
elif [ "$(sqlite3 "$tmp/$case.db" 'SELECT file, records, imported, skipped FROM import_log')" \
       != "src.csv|3|2|1" ]; then
  fail "import_log: $(sqlite3 "$tmp/$case.db" 'SELECT * FROM import_log')"
else pass; fi

echo "$failed failing case(s)"
[ "$failed" -eq 0 ]
