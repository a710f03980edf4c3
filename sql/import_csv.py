#!/usr/bin/python3
"""import_csv.py: loads a CSV of invoices into a database the review can read.

    import_csv.py [--customer COL] [--date COL] [--amount COL | COL*COL]
                  [--date-format FMT] [--date-order-checked] [--decimal . | ,]
                  [--as-of YYYY-MM-DD] [--months N] [--encoding ENC] [--delimiter C] CSV DB

Rules (a number is never read wrongly without a word: each doubt is a report or a refusal):
 1. The first line is the header; columns are found by name (exact, else ignoring case and
    surrounding blanks). A missing column is an error that lists the header's columns; a name
    that matches two columns is an error naming both.
 2. The delimiter is --delimiter (one character, or 'tab'); without it, the one of ',', ';',
    tab and '|' that splits the header into the most fields (a tie is an error).
 3. Every other record is one invoice line. A record is malformed, reported on stderr with its
    line number (the line it starts on) and skipped, when it has a different number of fields
    than the header, no customer, a date that is missing or not a real date, or an amount
    that is missing, not a number or out of range ('1e400', or a product that overflows).
    Blank lines are ignored and counted.
 4. A quoted field that runs over several lines is kept when the record still has the
    header's number of fields and the line break is not in the customer, date or amount;
    otherwise a quote was left open, and the import stops naming the lines it swallowed.
 5. Amounts: the decimal separator of each amount column is --decimal, or is decided from the
    column's values (sql/import_numbers.py); a column that mixes both, or whose values never
    tell, stops the import with the lines in question.
 6. Customers are kept as text, blanks trimmed; a whole number written with a trailing '.0'
    (how spreadsheets export ids) is read as the whole number.
 7. Dates: sql/import_dates.py (ISO, or --date-format with an optional time after the date;
    a day/month order the file never proves stops the import unless --date-order-checked).
 8. The encoding is --encoding (default UTF-8, with or without a byte-order mark). A file it
    does not decode, or one that starts with a UTF-16 byte-order mark or looks like UTF-16,
    stops with an error naming an encoding that does read the file.
 9. The first 50 malformed records are printed; when there are more, all of them are written
    to DB-rejected.csv (line, reason, record) and the printout says so.
10. DB is replaced by a new database holding invoices, accounts (customer_id, name NULL),
    review_settings (as_of: --as-of or the last invoice date; period_months: --months or 12;
    hourly_cost NULL) and import_log (the file's name and how it was read and counted).
    sql/import_effort.py then adds an effort file to DB. An existing DB that
    import_csv did not make is left alone.
11. Exit status: 0 when at least one record was imported (even if some were skipped), 1 when
    none was, 2 for an unreadable file, a refused file or bad options.
"""
import argparse
import csv
import itertools
import math
import os
import re
import sqlite3
import sys

from import_dates import DateReader, parse_iso
from import_numbers import ColumnReading, read_amount

SHOWN = 50
DELIMITERS = {",": "','", ";": "';'", "\t": "tab", "|": "'|'"}
WHOLE_WITH_ZEROS = re.compile(r"-?\d+\.0+")


class ImportError_(Exception):
    """A problem with the whole file: reported once, exit status 2."""


def parse_args(argv):
    p = argparse.ArgumentParser(prog="import_csv", description=__doc__.splitlines()[0])
    p.add_argument("--customer", default="customer")
    p.add_argument("--date", default="date")
    p.add_argument("--amount", default="amount",
                   help="a column, or COL*COL for the product of two columns")
    add_reading_options(p, "the amounts' decimal separator")
    p.add_argument("--as-of", help="last day of the review period (default: last invoice date)")
    p.add_argument("--months", type=int, default=12, help="length of the review period")
    p.add_argument("csv")
    p.add_argument("db")
    args = p.parse_args(argv)
    if args.months < 1:
        p.error(f"--months must be a positive integer, got {args.months}")
    if args.as_of is not None and parse_iso(args.as_of) is None:
        p.error(f"--as-of must be a date YYYY-MM-DD, got '{args.as_of}'")
    read_delimiter_option(p, args)
    return args


def add_reading_options(p, decimal_help):
    """The options on how to read a file, shared with import_effort.py."""
    p.add_argument("--date-format", help="strptime format of the dates, e.g. %%d/%%m/%%Y")
    p.add_argument("--date-order-checked", action="store_true",
                   help="the day/month order of --date-format is right even where the file "
                        "does not prove it")
    p.add_argument("--decimal", choices=[".", ","], help=decimal_help)
    p.add_argument("--encoding", default="utf-8-sig")
    p.add_argument("--delimiter", help="one character, or 'tab' (default: from the header)")


def read_delimiter_option(p, args):
    """--delimiter as the character it names ('tab' for a tab), or an argparse error."""
    if args.delimiter is not None:
        args.delimiter = {"tab": "\t", "\\t": "\t"}.get(args.delimiter, args.delimiter)
        if len(args.delimiter) != 1 or args.delimiter in "\"\r\n":
            p.error(f"--delimiter must be one character or 'tab', got '{args.delimiter}'")


def utf16_hint(head):
    """'; ... ENCODING=utf-16... reads it' when the file's first bytes are UTF-16, else ''."""
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "; it starts with a UTF-16 byte-order mark: ENCODING=utf-16 reads it"
    zeros = [i % 2 for i, b in enumerate(head) if b == 0]
    if head and len(zeros) * 4 > len(head):
        order = "le" if sum(zeros) > len(zeros) / 2 else "be"
        return f"; every other byte is 0, as in UTF-16: ENCODING=utf-16-{order} reads it"
    return ""


def encoding_hint(path, encoding, head):
    """'; ... ENCODING=X reads it' naming an encoding that decodes the whole file."""
    hint = utf16_hint(head)
    if hint:
        return hint
    with open(path, "rb") as f:
        data = f.read()
    for candidate, name in (("cp1252", "Windows Western European"),
                            ("latin-1", "ISO 8859-1")):
        if candidate != encoding:
            try:
                data.decode(candidate)
                return f"; give the file's encoding: ENCODING={candidate} ({name}) reads it"
            except UnicodeDecodeError:
                continue
    return "; give the file's encoding with ENCODING="


def open_csv(args):
    """The open text file, with its first 4 KB as bytes; refuses UTF-16 read as anything else."""
    try:
        with open(args.csv, "rb") as raw:
            head = raw.read(4096)
        f = open(args.csv, newline="", encoding=args.encoding)
    except OSError as e:
        raise ImportError_(f"cannot read '{args.csv}': {e.strerror}") from None
    except LookupError:
        raise ImportError_(f"unknown encoding '{args.encoding}'") from None
    hint = utf16_hint(head)
    if hint and not args.encoding.lower().replace("_", "-").startswith("utf-16"):
        f.close()
        raise ImportError_(f"{args.csv}: not {args.encoding} text{hint}")
    return f, head


def choose_delimiter(args, first_line):
    """--delimiter, or the candidate that splits the header into the most fields."""
    if args.delimiter is not None:
        return args.delimiter
    counts = {d: len(next(csv.reader([first_line], delimiter=d), [])) for d in DELIMITERS}
    best = max(counts.values())
    winners = [d for d, n in counts.items() if n == best]
    if best > 1 and len(winners) > 1:
        names = " and ".join(DELIMITERS[d] for d in winners)
        raise ImportError_(f"{args.csv}:1: cannot tell the delimiter: the header splits into "
                           f"{best} fields at {names}; give it with DELIMITER=")
    return winners[0] if best > 1 else ","


def read_records(args, f, head):
    """(delimiter, header, [(first line, last line, fields)], blank lines, unreadable)."""
    records = []
    try:
        return _read_records(args, f, records)
    except UnicodeDecodeError as e:
        near = records[-1][1] + 1 if records else 1
        raise ImportError_(f"{args.csv}: not {args.encoding} text (near line {near}: "
                           f"{e.reason})" + encoding_hint(args.csv, args.encoding, head)) from None


def _read_records(args, f, records):
    first = f.readline()
    if first == "":
        raise ImportError_(f"{args.csv}: the file is empty (a header line is needed)")
    delimiter = choose_delimiter(args, first)
    reader = csv.reader(itertools.chain([first], f), delimiter=delimiter)
    header = next(reader)
    blanks, unreadable, start = 0, [], reader.line_num + 1
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            unreadable.append((start, ("unreadable record", f"unreadable CSV record: {e}"), []))
        else:
            if fields:
                records.append((start, reader.line_num, fields))
            else:
                blanks += 1
        start = reader.line_num + 1
    return delimiter, header, records, blanks, unreadable


def find_column(header, name, csv_path):
    for matches in ([i for i, h in enumerate(header) if h == name],
                    [i for i, h in enumerate(header)
                     if h.strip().casefold() == name.strip().casefold()]):
        if len(matches) > 1:
            cols = " and ".join(str(i + 1) for i in matches)
            raise ImportError_(f"{csv_path}:1: the header names '{name}' twice (columns "
                               f"{cols}); rename one of them")
        if matches:
            return matches[0]
    raise ImportError_(f"{csv_path}: no column '{name}' in the header (columns: "
                       + ", ".join(header) + ")")


def check_quotes(args, records, n_header, used):
    """Stops at a record that a quote left open has run over several lines (rule 4)."""
    for first, last, fields in records:
        if last == first:
            continue
        broken = len(fields) != n_header or any(
            "\n" in fields[c] or "\r" in fields[c] for c in used if c < len(fields))
        if broken:
            raise ImportError_(
                f"{args.csv}:{first}: a quote opened on this line is never closed: the "
                f"record runs on to line {last}, taking in {last - first} more line"
                f"{'' if last - first == 1 else 's'} ({len(fields)} fields, the header has "
                f"{n_header}); close the quote or remove it")


def decide_decimals(args, records, n_header, amount_cols):
    """{column index: decimal separator or None}, from --decimal or the values (rule 5)."""
    if args.decimal:
        return {col: args.decimal for col, _ in amount_cols}
    decided = {}
    for col, name in amount_cols:
        column = ColumnReading(name)
        seen = set()
        for first, _, fields in records:
            if len(fields) == n_header:
                text = fields[col].strip()
                if text and text not in seen:
                    seen.add(text)
                    column.add(first, text)
        problem = column.problem()
        if problem:
            raise ImportError_(f"{args.csv}: {problem}; give the decimal separator with "
                               "DECIMAL=. or DECIMAL=,")
        decided[col] = column.decimal()
    return decided


def parse_amount(fields, columns, decimals):
    """The amount of a record, or (None, (kind, message))."""
    value = 1.0
    for col, name in columns:
        text = fields[col].strip()
        if text == "":
            return None, ("missing amount", f"missing amount ({name} is empty)")
        number = read_amount(text, decimals[col])
        if number is None:
            return None, ("non-numeric amount", f"amount is not a number: {name} = '{text}'")
        if not math.isfinite(number):
            return None, ("amount out of range", f"amount is out of range: {name} = '{text}'")
        value *= number
    if not math.isfinite(value):
        return None, ("amount out of range", "amount is out of range: the product "
                      + " * ".join(fields[c].strip() for c, _ in columns) + " overflows")
    return value, None


def check_customer_and_date(first, fields, n_header, cols, args):
    """((customer, date), None) from a record, or (None, (kind, message)): the checks that
    an invoice and an effort record share."""
    if len(fields) != n_header:
        return None, ("wrong number of fields",
                      f"wrong number of fields: expected {n_header}, got {len(fields)}")
    customer = fields[cols["customer"]].strip()
    if customer == "":
        return None, ("missing customer", f"missing customer ({args.customer} is empty)")
    if WHOLE_WITH_ZEROS.fullmatch(customer):
        customer = customer.split(".")[0]
    raw_date = fields[cols["date"]].strip()
    if raw_date == "":
        return None, ("missing date", f"missing date ({args.date} is empty)")
    day = cols["dates"].parse(first, raw_date)
    if day is None:
        expected = args.date_format or "YYYY-MM-DD"
        return None, ("bad date", f"bad date '{raw_date}' (expected {expected})")
    return (customer, day), None


def check_record(first, fields, n_header, cols, args):
    """(customer, date, amount) of a well-formed record, or (None, (kind, message))."""
    key, reason = check_customer_and_date(first, fields, n_header, cols, args)
    if reason:
        return None, reason
    amount, reason = parse_amount(fields, cols["amount"], cols["decimals"])
    if reason:
        return None, reason
    return key + (amount,), None


def find_invoice_columns(args, header):
    return {"customer": find_column(header, args.customer, args.csv),
            "date": find_column(header, args.date, args.csv),
            "amount": [(find_column(header, name, args.csv), name)
                       for name in args.amount.split("*")],
            "dates": DateReader(args.date_format)}


def read_file(args, find_columns=find_invoice_columns, check=check_record):
    """(good rows, rejected [(line, (kind, message), fields)], facts for import_log).
    import_effort.py reads its file with its own columns and record check."""
    f, head = open_csv(args)
    with f:
        delimiter, header, records, blanks, rejected = read_records(args, f, head)
    cols = find_columns(args, header)
    used = [cols["customer"], cols["date"]] + [c for c, _ in cols["amount"]]
    check_quotes(args, records, len(header), used)
    cols["decimals"] = decide_decimals(args, records, len(header), cols["amount"])
    good = []
    for first, _, fields in records:
        row, reason = check(first, fields, len(header), cols, args)
        if row:
            good.append(row)
        else:
            rejected.append((first, reason, fields))
    problem = cols["dates"].order_problem(args.date_order_checked)
    if problem:
        raise ImportError_(f"{args.csv}:{problem[0]}: {problem[1]}")
    rejected.sort(key=lambda r: r[0])
    return good, rejected, {"blanks": blanks, "delimiter": delimiter, "cols": cols}


def reading_text(args, facts):
    """How the file was read, in words, for the report and import_log."""
    decimals = facts["cols"]["decimals"]
    amounts = "; ".join(f"{name}: " + ("no decimal separator" if decimals[col] is None
                                       else f"decimal '{decimals[col]}'")
                        for col, name in facts["cols"]["amount"])
    encoding = "utf-8" if args.encoding == "utf-8-sig" else args.encoding
    return (f"delimiter {DELIMITERS.get(facts['delimiter'], repr(facts['delimiter']))}; "
            f"{amounts}; dates {args.date_format or 'YYYY-MM-DD'}; encoding {encoding}")


def report(args, good, rejected, facts, prog="import_csv"):
    for line, (_, message), _ in rejected[:SHOWN]:
        print(f"{args.csv}:{line}: {message}; skipped", file=sys.stderr)
    if len(rejected) > SHOWN:
        path = args.db + "-rejected.csv"
        with open(path, "w", newline="", encoding="utf-8") as out:
            w = csv.writer(out)
            w.writerow(["line", "reason", "record"])
            for line, (_, message), fields in rejected:
                w.writerow([line, message, facts["delimiter"].join(fields)])
        print(f"... and {len(rejected) - SHOWN:,} more malformed records: all "
              f"{len(rejected):,} are listed in {path}", file=sys.stderr)
    by_reason = {}
    for _, (kind, _), _ in rejected:
        by_reason[kind] = by_reason.get(kind, 0) + 1
    print(f"{prog}: {args.csv}: read with {reading_text(args, facts)}", file=sys.stderr)
    summary = (f"{prog}: {args.csv}: {len(good) + len(rejected):,} records, "
               f"{len(good):,} imported")
    if rejected:
        summary += f", {len(rejected):,} malformed skipped (" + ", ".join(
            f"{n:,} {kind}" for kind, n in sorted(by_reason.items())) + ")"
    if facts["blanks"]:
        blanks = facts["blanks"]
        summary += f", {blanks:,} blank line{'' if blanks == 1 else 's'} ignored"
    print(summary, file=sys.stderr)


SCHEMA = """
CREATE TABLE import_log (file TEXT, path TEXT, records INTEGER, imported INTEGER,
                         skipped INTEGER, blank_lines INTEGER, read_with TEXT,
                         content TEXT NOT NULL DEFAULT 'invoices');
CREATE TABLE review_settings (as_of TEXT NOT NULL, period_months INTEGER NOT NULL,
                              hourly_cost REAL);
CREATE TABLE accounts (customer_id TEXT PRIMARY KEY, name TEXT);
CREATE TABLE invoices (invoice_id INTEGER PRIMARY KEY, customer_id TEXT NOT NULL,
                       invoice_date TEXT NOT NULL, amount REAL NOT NULL);
"""


def made_by_import_csv(path):
    """Whether path is a database this script wrote (import_log, or csv_import before 0.2)."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        ours = con.execute("SELECT 1 FROM sqlite_schema WHERE name IN "
                           "('import_log', 'csv_import')").fetchone()
        con.close()
        return bool(ours)
    except sqlite3.Error:
        return False


def write_db(args, good, rejected, facts):
    if os.path.exists(args.db) and not made_by_import_csv(args.db):
        raise ImportError_(f"refusing to replace '{args.db}': it is not a database "
                           "made by import_csv (choose another REVIEW_DB)")
    tmp = args.db + ".tmp"
    if os.path.exists(tmp):
        os.remove(tmp)
    con = sqlite3.connect(tmp)
    with con:
        con.executescript(SCHEMA)
        con.executemany("INSERT INTO invoices (customer_id, invoice_date, amount) VALUES (?,?,?)",
                        good)
        con.execute("INSERT INTO accounts SELECT DISTINCT customer_id, NULL FROM invoices")
        as_of = args.as_of or max(day for _, day, _ in good)
        con.execute("INSERT INTO review_settings (as_of, period_months) VALUES (?, ?)",
                    (as_of, args.months))
        con.execute("INSERT INTO import_log (file, path, records, imported, skipped, "
                    "blank_lines, read_with) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (os.path.basename(args.csv), os.path.abspath(args.csv),
                     len(good) + len(rejected), len(good), len(rejected), facts["blanks"],
                     reading_text(args, facts)))
        con.execute("CREATE INDEX invoices_by_date ON invoices(invoice_date)")
    con.close()
    os.replace(tmp, args.db)


def main(argv):
    args = parse_args(argv)
    try:
        good, rejected, facts = read_file(args)
        report(args, good, rejected, facts)
        if not good:
            print(f"import_csv: {args.csv}: no well-formed invoice records to import",
                  file=sys.stderr)
            return 1
        write_db(args, good, rejected, facts)
    except ImportError_ as e:
        print(f"import_csv: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
