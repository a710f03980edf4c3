"""import_dates.py: how import_csv.py reads dates, and when it refuses a day/month order.

Rules:
 1. Without a format a date is ISO, YYYY-MM-DD, optionally followed by a time ('T' or a
    space, then H:MM, H:MM:SS, with fractions), which is dropped.
 2. With a strptime format (DATE_FORMAT=%d/%m/%Y) the text must match it; when the format has
    no time fields of its own, a time may follow the date ('12/1/2010 8:26', '8:26:00 PM',
    '08:26+01:00') and is dropped.
 3. A format with both %d and %m reads some dates the other way round when the two are
    swapped. After the whole column is read, it is compared with the swapped format:
    a. dates that only the swapped format reads, and none that only the given one reads: the
       file is in the other order; refused, naming the first such line and the format to use;
    b. every date reading both ways and some differently (12/1/2025: 12 January or
       1 December): nothing in the file says which order it is in; refused, naming the first
       such line, unless the caller confirms the format (DATE_ORDER_CHECKED=1);
    c. otherwise the order is proven (25/1/2025 only reads with %d/%m/%Y), and dates that do
       not read are malformed records, reported as usual.
 4. Each distinct text is parsed once per format (files repeat their dates).
"""
import datetime
import re

ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?")
TIME_AFTER = re.compile(r"(.*?\S)(?:\s+|T)\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?"
                        r"(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s*(?:Z|[+-]\d{2}:?\d{2}))?")
TIME_FIELDS = re.compile(r"%[HIMSpTRXcfz]")


def parse_iso(text):
    m = ISO_DATE.fullmatch(text)
    if not m:
        return None
    try:
        return datetime.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return None


def swapped(fmt):
    """fmt with %d and %m exchanged, or None when it lacks one of them."""
    if fmt is None or "%d" not in fmt or "%m" not in fmt:
        return None
    return fmt.replace("%d", "\0").replace("%m", "%d").replace("\0", "%m")


class DateReader:
    """Reads the dates of one file with one format (None: ISO), remembering what it saw."""

    def __init__(self, fmt):
        self.fmt = fmt
        self.other = swapped(fmt)
        self.time_allowed = fmt is not None and not TIME_FIELDS.search(fmt)
        self.cache = {fmt: {}, self.other: {}}
        self.seen = []       # (line, text) of every date text, for the order check

    def _strptime(self, text, fmt):
        try:
            return datetime.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            pass
        m = TIME_AFTER.fullmatch(text) if self.time_allowed else None
        if m is None:
            return None
        try:
            return datetime.datetime.strptime(m.group(1), fmt).date().isoformat()
        except ValueError:
            return None

    def _read(self, text, fmt):
        cache = self.cache[fmt]
        if text not in cache:
            cache[text] = parse_iso(text) if fmt is None else self._strptime(text, fmt)
        return cache[text]

    def parse(self, line, text):
        """The ISO date of text, or None when it is not a date in the format."""
        if self.other is not None:
            self.seen.append((line, text))
        return self._read(text, self.fmt)

    def order_problem(self, checked):
        """(line, why) when the dates cannot be trusted to be in the format's order (rule 3)."""
        if self.other is None:
            return None
        only_given = only_other = differs = None
        for line, text in self.seen:
            given, other = self._read(text, self.fmt), self._read(text, self.other)
            if given and not other:
                only_given = only_given or (line, text)
                break
            if other and not given:
                only_other = only_other or (line, text)
            elif given and given != other:
                differs = differs or (line, text, given, other)
        if only_given:
            return None
        if only_other:
            line, text = only_other
            return line, (f"'{text}' is not a date in DATE_FORMAT={self.fmt} but is in "
                    f"{self.other}, and no date in the file reads only as {self.fmt}: the "
                    f"file is in the other order; use DATE_FORMAT={self.other}")
        if differs and not checked:
            line, text, given, other = differs
            return line, (f"'{text}' reads as {given} with DATE_FORMAT={self.fmt} and as "
                    f"{other} with {self.other}, and no date in the file tells which order it "
                    "is in (no day above 12); if the format is right, say so with "
                    "DATE_ORDER_CHECKED=1")
        return None
