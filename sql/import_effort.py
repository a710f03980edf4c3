#!/usr/bin/python3
"""import_effort.py: adds a CSV of effort (the team's hours per customer) to a database that
sql/import_csv.py made from invoices, for the review's cost of dependence.

    import_effort.py [--customer COL] [--date COL] [--hours COL] [--cost COL]
                     [--date-format FMT] [--date-order-checked] [--decimal . | ,]
                     [--encoding ENC] [--delimiter C] [--hourly-cost X] CSV DB

Rules: those of import_csv.py for the file as a whole (header, delimiter, quotes, decimal
separators decided per column, dates, encoding; its rules 1, 2, 4, 5, 7 and 8) and for its
reports (rule 9: every malformed record on stderr with its line, all of them in
DB-effort-rejected.csv when there are more than 50), with these records:
 1. Every record after the header is the hours spent on one customer on one day. It is
    malformed, reported and skipped, when it has a different number of fields than the
    header, no customer, a date missing or not a real date, hours missing, not a number, out
    of range or negative, or a cost (when the file has a cost column) that is not a number,
    out of range or negative. An empty cost is no cost: the hours are then costed at the
    review's hourly cost.
 2. The cost column is --cost; without it, a column named 'cost' when the header has one.
 3. Customers are read as import_csv reads them (text, blanks trimmed, '12.0' read as 12), so
    that they meet the invoices' customers; customers with effort and no invoices are kept
    (they cost without paying).
 4. DB must be a database import_csv made. Its effort table is replaced by the file's
    records, import_log gets (or replaces) the row of content 'effort', and --hourly-cost,
    when given, is written to review_settings.hourly_cost. All of it in one transaction:
    a refused file leaves DB as it was.
 5. Messages that name a make option of the invoice file (DECIMAL=, DATE_FORMAT=, ...) name
    the effort file's instead (EFFORT_DECIMAL=, EFFORT_DATE_FORMAT=, ...).
 6. Exit status: 0 when at least one record was imported (even if some were skipped), 1 when
    none was, 2 for an unreadable or refused file, a database not made by import_csv, or bad
    options.
"""
import argparse
import math
import os
import re
import sqlite3
import sys

import import_csv
from import_csv import (ImportError_, add_reading_options, check_customer_and_date,
                        find_column, made_by_import_csv, read_delimiter_option, reading_text,
                        report)
from import_dates import DateReader
from import_numbers import read_amount


def parse_args(argv):
    p = argparse.ArgumentParser(prog="import_effort", description=__doc__.splitlines()[0])
    p.add_argument("--customer", default="customer")
    p.add_argument("--date", default="date")
    p.add_argument("--hours", default="hours")
    p.add_argument("--cost", help="the cost column (default: 'cost' when the header has one)")
    add_reading_options(p, "the numbers' decimal separator")
    p.add_argument("--hourly-cost", help="the cost of an hour without a cost of its own")
    p.add_argument("csv")
    p.add_argument("db")
    args = p.parse_args(argv)
    read_delimiter_option(p, args)
    if args.hourly_cost is not None:
        value = read_amount(args.hourly_cost.strip(), None)
        if value is None or not math.isfinite(value) or value < 0:
            p.error(f"--hourly-cost must be a number 0 or more, got '{args.hourly_cost}'")
        args.hourly_cost = value
    return args


def read_number(text, name, decimal, kind):
    """(value, None), (None, None) for an empty cost, or (None, (kind, message))."""
    if text == "":
        if kind == "cost":
            return None, None
        return None, ("missing hours", f"missing hours ({name} is empty)")
    value = read_amount(text, decimal)
    if value is None:
        return None, (f"non-numeric {kind}", f"{kind} is not a number: {name} = '{text}'")
    if not math.isfinite(value):
        return None, (f"{kind} out of range", f"{kind} is out of range: {name} = '{text}'")
    if value < 0:
        return None, (f"negative {kind}", f"{kind} must be 0 or more: {name} = '{text}'")
    return value, None


def check_record(first, fields, n_header, cols, args):
    """(customer, date, hours, cost) of a well-formed record, or (None, (kind, message))."""
    key, reason = check_customer_and_date(first, fields, n_header, cols, args)
    if reason:
        return None, reason
    hours, reason = read_number(fields[cols["hours"]].strip(), args.hours,
                                cols["decimals"][cols["hours"]], "hours")
    if reason:
        return None, reason
    cost = None
    if cols["cost"] is not None:
        cost, reason = read_number(fields[cols["cost"]].strip(), cols["cost_name"],
                                   cols["decimals"][cols["cost"]], "cost")
        if reason:
            return None, reason
    return key + (hours, cost), None


def find_columns(args, header):
    cols = {"customer": find_column(header, args.customer, args.csv),
            "date": find_column(header, args.date, args.csv),
            "hours": find_column(header, args.hours, args.csv),
            "dates": DateReader(args.date_format), "cost": None, "cost_name": args.cost}
    if args.cost is not None:
        cols["cost"] = find_column(header, args.cost, args.csv)
    elif any(h.strip().casefold() == "cost" for h in header):
        cols["cost"], cols["cost_name"] = find_column(header, "cost", args.csv), "cost"
    numbers = [(cols["hours"], args.hours)]
    if cols["cost"] is not None:
        numbers.append((cols["cost"], cols["cost_name"]))
    cols["amount"] = numbers    # the number columns, under import_csv's name for them
    return cols


def read_file(args):
    """(good rows, rejected [(line, (kind, message), fields)], facts), as import_csv's."""
    return import_csv.read_file(args, find_columns, check_record)


def write_effort(args, good, rejected, facts):
    if not os.path.exists(args.db) or not made_by_import_csv(args.db):
        raise ImportError_(f"'{args.db}' is not a database made by import_csv: import the "
                           "invoices first (make review CSV=... EFFORT=...)")
    con = sqlite3.connect(args.db)
    with con:
        con.executescript(
            "DROP TABLE IF EXISTS effort;"
            "CREATE TABLE effort (customer_id TEXT NOT NULL, effort_date TEXT NOT NULL,"
            "                     hours REAL NOT NULL, cost REAL);")
        con.executemany("INSERT INTO effort VALUES (?, ?, ?, ?)", good)
        con.execute("CREATE INDEX effort_by_date ON effort(effort_date)")
        con.execute("DELETE FROM import_log WHERE content = 'effort'")
        con.execute("INSERT INTO import_log (content, file, path, records, imported, skipped, "
                    "blank_lines, read_with) VALUES ('effort', ?, ?, ?, ?, ?, ?, ?)",
                    (os.path.basename(args.csv), os.path.abspath(args.csv),
                     len(good) + len(rejected), len(good), len(rejected), facts["blanks"],
                     reading_text(args, facts)))
        if args.hourly_cost is not None:
            con.execute("UPDATE review_settings SET hourly_cost = ?", (args.hourly_cost,))
    con.close()


def effort_options(message):
    """import_csv's messages name the make options of the invoice file (DECIMAL=, ...); the
    effort file's options are the same with EFFORT_ before them."""
    return MAKE_OPTION.sub(r"EFFORT_\1=", message)


MAKE_OPTION = re.compile(r"(?<![A-Z_])(DECIMAL|DATE_FORMAT|DATE_ORDER_CHECKED|DELIMITER|"
                         r"ENCODING)=")


def main(argv):
    args = parse_args(argv)
    try:
        good, rejected, facts = read_file(args)
        report(argparse.Namespace(**{**vars(args), "db": args.db + "-effort"}), good,
               rejected, facts, prog="import_effort")
        if not good:
            print(f"import_effort: {args.csv}: no well-formed effort records to import",
                  file=sys.stderr)
            return 1
        write_effort(args, good, rejected, facts)
    except ImportError_ as e:
        print(f"import_effort: {effort_options(str(e))}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
