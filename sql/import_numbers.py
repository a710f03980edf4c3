"""import_numbers.py: how import_csv.py reads an amount column, separators decided per column.

Rules:
 1. An amount is a plain number: an optional sign, digits with at most one decimal separator,
    an optional exponent (e/E). The digits before the decimal separator may be grouped by
    threes with a thousands separator. The decimal separator is '.' or ','; the thousands
    separator is then the other one. No currency signs, spaces inside, NaN or infinity.
 2. Which one is the decimal separator is decided per column, from every value in it. A value
    proves it when it reads as a number with only one of the two choices: '1.234,5' and
    '1.234.567' (',' decimal), '1,234.5', '3.14', '0.125' and '1234.567' ('.' decimal),
    '12,5' (',' decimal). Grouped digits never start with 0. A value that reads both ways, one
    to three digits, one separator and three digits ('1.234', '-12,500'), proves nothing.
    Values proving both separators make the column *mixed*; values that prove nothing, with
    none that proves, make it *ambiguous*; import_csv refuses both, naming the lines, unless
    DECIMAL= decides. A column whose values have no separator at all needs no decision.
 3. A value that does not fit its column's separators ('1.23.4', or '12,5' where ',' groups
    thousands) is not a number; so is one that overflows to infinity ('1e400').
"""
import re

SEPARATORS = ".,"
NO_DECISION, AMBIGUOUS = None, "ambiguous"


def _pattern(decimal):
    d = re.escape(decimal)
    t = re.escape("," if decimal == "." else ".")
    return re.compile(rf"[+-]?([1-9]\d{{0,2}}({t}\d{{3}})+|\d+)?({d}\d*)?([eE][+-]?\d+)?")


PATTERNS = {sep: _pattern(sep) for sep in SEPARATORS}
PLAIN = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _reads_with(text, decimal):
    return bool(PATTERNS[decimal].fullmatch(text)) and any(c.isdigit() for c in text)


def evidence(text):
    """The decimal separator one value proves ('.' or ','), AMBIGUOUS, or NO_DECISION."""
    if not any(c in SEPARATORS for c in text):
        return NO_DECISION
    fits = [sep for sep in SEPARATORS if _reads_with(text, sep)]
    if len(fits) == 2:
        return AMBIGUOUS
    return fits[0] if fits else NO_DECISION


class ColumnReading:
    """What a column's values prove: decided separator, or why it cannot be decided."""

    def __init__(self, name):
        self.name = name
        self.proof = {}          # separator -> (line, text) of the first value proving it
        self.ambiguous = None    # (line, text) of the first value that proves nothing

    def add(self, line, text):
        found = evidence(text)
        if found == AMBIGUOUS:
            self.ambiguous = self.ambiguous or (line, text)
        elif found is not NO_DECISION:
            self.proof.setdefault(found, (line, text))

    def decimal(self):
        """'.' or ',' when the values decide, else None (no separator at all, or undecided)."""
        return next(iter(self.proof)) if len(self.proof) == 1 else None

    def problem(self):
        """Why the column cannot be read without DECIMAL=, or None."""
        if len(self.proof) == 2:
            (l1, t1), (l2, t2) = sorted(self.proof.values())
            return (f"column {self.name} mixes decimal separators: line {l1} '{t1}' "
                    f"reads with '{evidence(t1)}', line {l2} '{t2}' with '{evidence(t2)}'")
        if not self.proof and self.ambiguous:
            line, text = self.ambiguous
            sep = next(c for c in text if c in SEPARATORS)
            return (f"column {self.name}: line {line} '{text}' could be "
                    f"{read_amount(text, ',' if sep == '.' else '.'):.0f} ('{sep}' grouping "
                    f"thousands) or {read_amount(text, sep)!r} ('{sep}' the decimal point), "
                    "and no value in the column tells which")
        return None


def read_amount(text, decimal):
    """The number in text read with the column's decimal separator (None: the column has no
    separator), or None when it is not a number by the rules above. It may be infinite
    ('1e400'): the caller reports that as out of range."""
    if decimal is None:
        if not PLAIN.fullmatch(text):
            return None
        value = float(text)
    else:
        if not _reads_with(text, decimal):
            return None
        thousands = "," if decimal == "." else "."
        value = float(text.replace(thousands, "").replace(decimal, "."))
    return value
