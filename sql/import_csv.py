#!/usr/bin/python3
"""import_csv.py: loads a CSV of invoices into a database the review can read.

    import_csv.py [--customer COL] [--date COL] [--amount COL | COL*COL]
                  [--date-format FMT] [--as-of YYYY-MM-DD] [--months N]
                  [--encoding ENC] [--delimiter C] CSV DB

Rules:
 1. The first line is the header; columns are found by name (exact, else ignoring case and
    surrounding blanks). A missing column is an error that lists the header's columns.
 2. Every other record is one invoice line. A record is malformed, reported on stderr with its
    line number (the line it starts on) and skipped, when it has a different number of fields
    than the header, no customer, a date that is missing or not a real date, or an amount
    that is missing or not a plain number (digits, one '.', optional sign and exponent; no
    thousands separators, no NaN or infinity). Blank lines are ignored and counted.
 3. Customers are kept as text, blanks trimmed; a whole number written with a trailing '.0'
    (how spreadsheets export ids) is read as the whole number.
 4. Dates are ISO (YYYY-MM-DD, optionally followed by a time, which is dropped) unless
    --date-format gives a strptime format.
 5. The first 50 malformed records are printed; when there are more, all of them are written
    to DB-rejected.csv (line, reason, record) and the printout says so.
 6. DB is replaced by a new database holding invoices, accounts (customer_id, name NULL),
    review_settings (as_of: --as-of or the last invoice date; period_months: --months or 12)
    and csv_import (what was read). An existing DB that import_csv did not make is left alone.
 7. Exit status: 0 when at least one record was imported (even if some were skipped), 1 when
    none was, 2 for an unreadable file, a missing column or bad options.
"""
import argparse
import csv
import datetime
import os
import re
import sqlite3
import sys

SHOWN = 50
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?")
WHOLE_WITH_ZEROS = re.compile(r"-?\d+\.0+")


class ImportError_(Exception):
    """A problem with the whole file: reported once, exit status 2."""


def parse_args(argv):
    p = argparse.ArgumentParser(prog="import_csv", description=__doc__.splitlines()[0])
    p.add_argument("--customer", default="customer")
    p.add_argument("--date", default="date")
    p.add_argument("--amount", default="amount",
                   help="a column, or COL*COL for the product of two columns")
    p.add_argument("--date-format", help="strptime format of the dates, e.g. %%d/%%m/%%Y")
    p.add_argument("--as-of", help="last day of the review period (default: last invoice date)")
    p.add_argument("--months", type=int, default=12, help="length of the review period")
    p.add_argument("--encoding", default="utf-8-sig")
    p.add_argument("--delimiter", default=",")
    p.add_argument("csv")
    p.add_argument("db")
    args = p.parse_args(argv)
    if args.months < 1:
        p.error(f"--months must be a positive integer, got {args.months}")
    if args.as_of is not None and parse_iso(args.as_of) is None:
        p.error(f"--as-of must be a date YYYY-MM-DD, got '{args.as_of}'")
    return args


def find_column(header, name, csv_path):
    if name in header:
        return header.index(name)
    folded = [h.strip().casefold() for h in header]
    if name.strip().casefold() in folded:
        return folded.index(name.strip().casefold())
    raise ImportError_(f"{csv_path}: no column '{name}' in the header (columns: "
                       + ", ".join(header) + ")")


def parse_iso(text):
    m = ISO_DATE.fullmatch(text)
    if not m:
        return None
    try:
        return datetime.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return None


def parse_date(text, fmt):
    if fmt is None:
        return parse_iso(text)
    try:
        return datetime.datetime.strptime(text, fmt).date().isoformat()
    except ValueError:
        return None


def parse_amount(fields, columns):
    """The amount of a record, or (None, (kind, message))."""
    value = 1.0
    for col, name in columns:
        text = fields[col].strip()
        if text == "":
            return None, ("missing amount", f"missing amount ({name} is empty)")
        if not NUMBER.fullmatch(text):
            return None, ("non-numeric amount", f"amount is not a number: {name} = '{text}'")
        value *= float(text)
    return value, None


def check_record(fields, n_header, cols, args):
    """(customer, date, amount) of a well-formed record, or (None, (kind, message))."""
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
    day = parse_date(raw_date, args.date_format)
    if day is None:
        expected = args.date_format or "YYYY-MM-DD"
        return None, ("bad date", f"bad date '{raw_date}' (expected {expected})")
    amount, reason = parse_amount(fields, cols["amount"])
    if reason:
        return None, reason
    return (customer, day, amount), None


def read_rows(args):
    """Returns (good rows, rejected [(line, (kind, message), fields)], blank line count)."""
    try:
        f = open(args.csv, newline="", encoding=args.encoding)
    except OSError as e:
        raise ImportError_(f"cannot read '{args.csv}': {e.strerror}") from None
    except LookupError:
        raise ImportError_(f"unknown encoding '{args.encoding}'") from None
    good, rejected, blanks = [], [], 0
    with f:
        reader = csv.reader(f, delimiter=args.delimiter)
        try:
            header = next(reader, None)
            if header is None:
                raise ImportError_(f"{args.csv}: the file is empty (a header line is needed)")
            cols = {"customer": find_column(header, args.customer, args.csv),
                    "date": find_column(header, args.date, args.csv),
                    "amount": [(find_column(header, name, args.csv), name)
                               for name in args.amount.split("*")]}
            start = reader.line_num + 1
            while True:
                try:
                    fields = next(reader)
                except StopIteration:
                    break
                except csv.Error as e:
                    rejected.append((start, ("unreadable record", f"unreadable CSV record: {e}"), []))
                    start = reader.line_num + 1
                    continue
                if not fields:
                    blanks += 1
                else:
                    row, reason = check_record(fields, len(header), cols, args)
                    if row:
                        good.append(row)
                    else:
                        rejected.append((start, reason, fields))
                start = reader.line_num + 1
        except UnicodeDecodeError as e:
            raise ImportError_(f"{args.csv}: not {args.encoding} text (near line "
                               f"{reader.line_num + 1}: {e.reason}); give the file's "
                               "encoding, e.g. ENCODING=latin-1") from None
    return good, rejected, blanks


def report(args, rows_read, good, rejected, blanks):
    for line, (_, message), _ in rejected[:SHOWN]:
        print(f"{args.csv}:{line}: {message}; skipped", file=sys.stderr)
    if len(rejected) > SHOWN:
        path = args.db + "-rejected.csv"
        with open(path, "w", newline="", encoding="utf-8") as out:
            w = csv.writer(out)
            w.writerow(["line", "reason", "record"])
            for line, (_, message), fields in rejected:
                w.writerow([line, message, args.delimiter.join(fields)])
        print(f"... and {len(rejected) - SHOWN:,} more malformed records: all "
              f"{len(rejected):,} are listed in {path}", file=sys.stderr)
    by_reason = {}
    for _, (kind, _), _ in rejected:
        by_reason[kind] = by_reason.get(kind, 0) + 1
    summary = f"import_csv: {args.csv}: {rows_read:,} records, {len(good):,} imported"
    if rejected:
        summary += f", {len(rejected):,} malformed skipped (" + ", ".join(
            f"{n:,} {kind}" for kind, n in sorted(by_reason.items())) + ")"
    if blanks:
        summary += f", {blanks:,} blank line{'' if blanks == 1 else 's'} ignored"
    print(summary, file=sys.stderr)


SCHEMA = """
CREATE TABLE csv_import (source TEXT, records INTEGER, imported INTEGER, skipped INTEGER);
CREATE TABLE review_settings (as_of TEXT NOT NULL, period_months INTEGER NOT NULL);
CREATE TABLE accounts (customer_id TEXT PRIMARY KEY, name TEXT);
CREATE TABLE invoices (invoice_id INTEGER PRIMARY KEY, customer_id TEXT NOT NULL,
                       invoice_date TEXT NOT NULL, amount REAL NOT NULL);
"""


def write_db(args, good, rejected):
    if os.path.exists(args.db):
        try:
            con = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
            ours = con.execute("SELECT 1 FROM sqlite_schema WHERE name = 'csv_import'").fetchone()
            con.close()
        except sqlite3.Error:
            ours = None
        if not ours:
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
        con.execute("INSERT INTO review_settings VALUES (?, ?)", (as_of, args.months))
        con.execute("INSERT INTO csv_import VALUES (?, ?, ?, ?)",
                    (os.path.abspath(args.csv), len(good) + len(rejected), len(good),
                     len(rejected)))
        con.execute("CREATE INDEX invoices_by_date ON invoices(invoice_date)")
    con.close()
    os.replace(tmp, args.db)


def main(argv):
    args = parse_args(argv)
    try:
        good, rejected, blanks = read_rows(args)
        report(args, len(good) + len(rejected), good, rejected, blanks)
        if not good:
            print(f"import_csv: {args.csv}: no well-formed invoice records to import",
                  file=sys.stderr)
            return 1
        write_db(args, good, rejected)
    except ImportError_ as e:
        print(f"import_csv: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
