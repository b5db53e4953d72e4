"""Reading the files people have: encodings, decimal marks, thousands separators and dates.

A CSV file is read as text first; then every column that holds numbers is converted with
one decimal convention for the whole file: a decimal point with ``,`` grouping thousands
(``1,234.5``) or a decimal comma with ``.`` grouping thousands (``1.234,5``). The convention
is detected from values only one of them can read (``1,5`` or ``0.125``); values both can
read differently (``1.234``) with no other evidence are refused with a message naming the
column and the fix (``decimal=``), never guessed. Dates are read with the first family of
formats that reads every value (ISO, ``DD.MM.YYYY``, ``DD/MM/YYYY`` or ``MM/DD/YYYY``, ...);
when both day-first and month-first read every value, ``dayfirst=`` or ``date_format=``
must say which. The encoding is UTF-8 (with or without BOM), UTF-16 with a BOM, or else
Windows-1252 (Latin-1 plus ``€``, typographic quotes and dashes); bytes that no single-byte
encoding reads as text are refused rather than dropped.

The options that decide how values read (``decimal``, ``thousands``, ``dayfirst``,
``date_format``, ``na_values``, ``categorical``, and ``sep``/``encoding`` when given) are
the *reading options*; a team saves them and reads later files with them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "READ_OPTIONS",
    "detect_encoding",
    "infer_columns",
    "numbers_as_trained",
    "parse_numbers",
    "parse_times",
    "saved_read_options",
]

# the reading options teaming understands (everything else goes to pandas.read_csv)
READ_OPTIONS = (
    "sep",
    "encoding",
    "decimal",
    "thousands",
    "dayfirst",
    "date_format",
    "na_values",
    "categorical",
)
# written for "no value" in German and English spreadsheets, beside pandas' own markers
MISSING_MARKERS = ("k.A.", "k. A.", "n.v.", "n. v.", "#NV", "-", "–", "—", "?", "n/a", "N/A")
_CURRENCY = re.compile(r"^(?:€|EUR|\$|£|CHF)\s*|\s*(?:€|EUR|\$|£|CHF)$")
# a column this close to all numbers is numbers with a few odd values, not categories
_ALMOST_NUMERIC = 0.95
_CONVENTIONS = {".": ",", ",": "."}


def _error(message: str, column: str | None = None, rows: Sequence = ()) -> Exception:
    from .data import DataError

    return DataError(message, column=column, rows=rows)


def _rows_text(rows: Sequence) -> str:
    from .data import _rows_text as text

    return text(rows)


# ---------------------------------------------------------------------------- encoding
def detect_encoding(path: Any, encoding: str | None = None) -> str:
    """The text encoding of a file: UTF-8, UTF-16 (with BOM), or Windows-1252.

    Parameters
    ----------
    path : str or path
        The file.
    encoding : str, optional
        An encoding the user gave; it is checked, not replaced: Latin-1 for a file with
        bytes 0x80-0x9F (which Latin-1 reads as invisible control characters, Windows-1252
        as ``€``, quotes and dashes) is refused.

    Returns
    -------
    str
        ``"utf-8"``, ``"utf-8-sig"``, ``"utf-16"``, ``"cp1252"``, or the given encoding.

    Raises
    ------
    DataError
        Bytes that neither UTF-8 nor Windows-1252 read, or a Latin-1 choice that would turn
        characters into control codes; the message names the line and the fix.

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "kosten.csv")
    >>> _ = open(path, "wb").write("betrag\\n12 €\\n".encode("cp1252"))
    >>> detect_encoding(path)
    'cp1252'
    """
    raw = Path(path).read_bytes()
    if encoding is not None:
        if encoding.lower().replace("_", "-") in {"latin-1", "latin1", "iso-8859-1", "l1"}:
            c1 = re.search(rb"[\x80-\x9f]", raw)
            if c1 is not None:
                line = raw.count(b"\n", 0, c1.start()) + 1
                raise _error(
                    f"{Path(path).name}: encoding {encoding!r} reads byte 0x{raw[c1.start()]:02X}"
                    f" on line {line} as an invisible control character; in Windows-1252 it is "
                    f"{raw[c1.start() : c1.start() + 1].decode('cp1252', 'replace')!r}: read the "
                    f"file with encoding 'cp1252' (--encoding cp1252)"
                )
        return encoding
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8"
    try:
        raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise _error(
            f"{Path(path).name}: byte 0x{raw[exc.start]:02X} on line {line} is text in neither "
            f"UTF-8 nor Windows-1252; give the file's encoding (--encoding, e.g. 'latin-1' or "
            f"'cp850') or save it as UTF-8"
        ) from None
    return "cp1252"


# ----------------------------------------------------------------------------- numbers
def _pattern(decimal: str, thousands: str | None) -> re.Pattern[str]:
    d = re.escape(decimal)
    group = ""
    if thousands:
        seps = re.escape(thousands) + "\u00a0\u202f"
        group = rf"|[1-9]\d{{0,2}}(?:[{seps}]\d{{3}})+"
    return re.compile(rf"[+-]?(?:(?:\d+{group})(?:{d}\d*)?|{d}\d+)(?:[eE][+-]?\d+)?")


def _thousands(decimal: str, thousands: str | None) -> str | None:
    if thousands is None:
        return _CONVENTIONS.get(decimal)
    return thousands or None


def _clean(values: pd.Series) -> pd.Series:
    text = values.astype("str").str.strip()
    return text.str.replace(_CURRENCY, "", regex=True)


def _to_float(text: pd.Series, decimal: str, thousands: str | None) -> pd.Series:
    drop = "[\u00a0\u202f" + (re.escape(thousands) if thousands else "") + "]"
    plain = text.str.replace(drop, "", regex=True)
    if decimal != ".":
        plain = plain.str.replace(decimal, ".", regex=False)
    return pd.to_numeric(plain)


def parse_numbers(
    values: pd.Series,
    decimal: str = ".",
    thousands: str | None = None,
    *,
    column: str = "",
    na_values: Iterable[str] = (),
) -> pd.Series:
    """Numbers from text with a given decimal mark; text that is no number is an error.

    Parameters
    ----------
    values : pandas.Series
        Text (or numbers, returned as they are).
    decimal : {".", ","}
        The decimal mark.
    thousands : str, optional
        The thousands separator (default: ``,`` with a decimal point, ``.`` with a decimal
        comma; ``""`` for none). Currency signs (``€``, ``EUR``, ``$``, ``£``, ``CHF``) around
        a number are ignored.
    column : str
        The column's name, for the message.
    na_values : iterable of str
        Further text meaning "no value".

    Returns
    -------
    pandas.Series of float

    Raises
    ------
    DataError
        Naming the column, the rows and the values that are not numbers.

    Examples
    --------
    >>> import pandas as pd
    >>> parse_numbers(pd.Series(["1.234,5", "7", None, "12 €"]), decimal=",").tolist()
    [1234.5, 7.0, nan, 12.0]
    """
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return values.astype(np.float64)
    thousands = _thousands(decimal, thousands)
    present = _present(values, na_values)
    text = _clean(values[present])
    ok = text.str.fullmatch(_pattern(decimal, thousands)).to_numpy(dtype=bool)
    if not ok.all():
        rows = values.index[present][~ok]
        shown = sorted(set(text[~ok].tolist()))[:5]
        raise _error(
            f"column {column!r}: {len(rows)} value(s) are not numbers written with decimal mark "
            f"{decimal!r}{_thousands_note(thousands)}: {shown}, rows {_rows_text(rows)}; "
            f"expected numbers as in the training data (fix the values, mark them as missing "
            f"with na_values / --na-values, or give the decimal mark with --decimal)",
            column=column,
            rows=rows[:5],
        )
    out = pd.Series(np.nan, index=values.index, dtype=np.float64)
    out[present] = _to_float(text, decimal, thousands).to_numpy(dtype=np.float64)
    return out


def numbers_as_trained(
    values: pd.Series, column: str, read_options: dict[str, Any] | None = None
) -> np.ndarray:
    """A numeric feature of cases to route, read as the training file was read.

    Numbers pass through; text is read with the saved decimal mark (detected afresh when the
    training data did not need one). Text that is not a number is an error: a value the
    training data read must never turn into a missing value unnoticed.

    Parameters
    ----------
    values : pandas.Series
        The column.
    column : str
        Its name, for the message.
    read_options : dict, optional
        The team's reading options (``decimal``, ``thousands``, ``na_values``).

    Returns
    -------
    numpy.ndarray of float32

    Raises
    ------
    DataError
        Naming the column, the rows, the values and the decimal mark expected.

    Examples
    --------
    >>> import pandas as pd
    >>> numbers_as_trained(pd.Series(["1.234,5", None]), "betrag", {"decimal": ","}).tolist()
    [1234.5, nan]
    """
    if not (pd.api.types.is_string_dtype(values) or pd.api.types.is_object_dtype(values)):
        return values.to_numpy(dtype=np.float32, na_value=np.nan)
    if pd.api.types.is_object_dtype(values):
        # a mix of Python numbers, None and text: only the text needs reading
        is_text = np.array([isinstance(v, str) for v in values], dtype=bool)
        out = pd.to_numeric(values.where(~is_text), errors="coerce").to_numpy(dtype=np.float32)
        if is_text.any():
            text = values[is_text].astype("str")
            out[is_text] = numbers_as_trained(text, column, read_options)
        return out
    options = read_options or {}
    na_values = options.get("na_values") or ()
    decimal, thousands = options.get("decimal"), options.get("thousands")
    if decimal is None:
        table, found = infer_columns(values.to_frame(column), na_values=na_values)
        if column in found["numeric"]:
            return table[column].to_numpy(dtype=np.float32, na_value=np.nan)
        decimal = "."
    parsed = parse_numbers(values, decimal, thousands, column=column, na_values=na_values)
    return parsed.to_numpy(dtype=np.float32)


def _thousands_note(thousands: str | None) -> str:
    return f" and thousands separator {thousands!r}" if thousands else ""


def _present(values: pd.Series, na_values: Iterable[str] = ()) -> pd.Series:
    markers = set(MISSING_MARKERS) | set(na_values)
    text = values.astype("str").str.strip()
    return values.notna() & (text != "") & ~text.isin(markers)


def _bool_column(values: pd.Series) -> pd.Series | None:
    present = values.dropna().astype("str").str.strip().str.lower()
    if present.empty or not present.isin(["true", "false"]).all():
        return None
    mapped = values.astype("str").str.strip().str.lower().map({"true": True, "false": False})
    return mapped.astype(bool) if values.notna().all() else mapped.astype("boolean")


def _column_evidence(
    values: pd.Series, na_values: Iterable[str]
) -> tuple[pd.Series, pd.Series, dict[str, np.ndarray]]:
    present = _present(values, na_values)
    text = _clean(values[present])
    ok = {
        mark: text.str.fullmatch(_pattern(mark, _CONVENTIONS[mark])).to_numpy(dtype=bool)
        for mark in _CONVENTIONS
    }
    return present, text, ok


def infer_columns(
    frame: pd.DataFrame,
    *,
    decimal: str | None = None,
    thousands: str | None = None,
    na_values: Iterable[str] = (),
    categorical: Iterable[str] = (),
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Turn the text columns of a table read as text into numbers and booleans.

    Parameters
    ----------
    frame : pandas.DataFrame
        Columns of text (as read with ``dtype=str``).
    decimal : {".", ","}, optional
        The decimal mark; detected when not given (see the module's description).
    thousands : str, optional
        The thousands separator; by default the other of ``.`` and ``,``.
    na_values : iterable of str
        Further text meaning "no value" in number columns (beside ``k. A.``, ``n.v.``,
        ``-``, ``?`` and pandas' own markers).
    categorical : iterable of str
        Columns kept as text even when they look like numbers (codes, postcodes).

    Returns
    -------
    (pandas.DataFrame, dict)
        The table, and what was decided: ``decimal`` (None when no value needed it),
        ``thousands``, ``numeric`` (the columns read as numbers) and ``missing_markers``
        (per column, how many values were read as missing and which).

    Raises
    ------
    DataError
        Conflicting or ambiguous decimal marks, or a column of numbers with a few values
        that are not numbers; the message names the column and the fix.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"betrag": ["1.234,50", "99,9"], "art": ["Glas", "Sturm"]},
    ...                    dtype=str)
    >>> table, found = infer_columns(raw)
    >>> table.betrag.tolist(), found["decimal"]
    ([1234.5, 99.9], ',')
    """
    na_values = list(na_values)
    keep = set(categorical)
    evidence: dict[str, dict[str, Any]] = {}
    out = frame.copy()
    for col in frame.columns:
        values = frame[col]
        if col in keep or not (
            pd.api.types.is_string_dtype(values) or pd.api.types.is_object_dtype(values)
        ):
            continue
        as_bool = _bool_column(values)
        if as_bool is not None:
            out[col] = as_bool
            continue
        present, text, ok = _column_evidence(values, na_values)
        if not present.any():
            continue
        evidence[str(col)] = {"present": present, "text": text, "ok": ok}
    decimal = decimal or _decide_decimal(evidence)
    found: dict[str, Any] = {"decimal": decimal, "numeric": [], "missing_markers": {}}
    mark = decimal or "."
    sep = _thousands(mark, thousands)
    found["thousands"] = sep if decimal else thousands
    for col, item in evidence.items():
        readable = item["ok"].get(mark) if sep == _CONVENTIONS.get(mark) else None
        if readable is None:
            readable = item["text"].str.fullmatch(_pattern(mark, sep)).to_numpy(dtype=bool)
        other = item["ok"][_CONVENTIONS.get(mark, ",")]
        if readable.all():
            out[col] = _numbers(frame[col], item, mark, sep)
            found["numeric"].append(col)
            markers = _markers(frame[col], item["present"])
            if markers:
                found["missing_markers"][col] = markers
        elif other.all():
            # only with a decimal mark the user gave: a detected one never conflicts here
            raise _error(
                f"column {col!r} holds numbers written with decimal mark "
                f"{_CONVENTIONS.get(mark, ',')!r} (e.g. {item['text'].iloc[0]!r}), but the "
                f"decimal mark is {mark!r}: give the file's decimal mark (--decimal) or fix "
                f"the column",
                column=col,
            )
        else:
            _refuse_almost_numeric(col, item, readable)
    return out, found


def _numbers(values: pd.Series, item: dict, decimal: str, thousands: str | None) -> pd.Series:
    present = item["present"]
    parsed = _to_float(item["text"], decimal, thousands)
    if present.all() and pd.api.types.is_integer_dtype(parsed):
        return pd.Series(parsed.to_numpy(), index=values.index)
    out = pd.Series(np.nan, index=values.index, dtype=np.float64)
    out[present] = parsed.to_numpy(dtype=np.float64)
    return out


def _markers(values: pd.Series, present: pd.Series) -> dict[str, int]:
    marked = values[values.notna() & ~present].astype("str").str.strip()
    marked = marked[marked != ""]
    return {str(k): int(v) for k, v in marked.value_counts().items()}


def _decide_decimal(evidence: dict[str, dict[str, Any]]) -> str | None:
    """The file's decimal mark from the columns that only one convention reads."""
    only: dict[str, list[tuple[str, str]]] = {".": [], ",": []}
    ambiguous: list[tuple[str, str]] = []
    for col, item in evidence.items():
        ok, text = item["ok"], item["text"]
        point, comma = ok["."], ok[","]
        if not (_mostly(point) or _mostly(comma)):
            continue
        if point.mean() > comma.mean():
            only["."].append((col, text[point & ~comma].iloc[0]))
        elif comma.mean() > point.mean():
            only[","].append((col, text[comma & ~point].iloc[0]))
        else:
            both = point & comma
            readings = _to_float(text[both], ".", ","), _to_float(text[both], ",", ".")
            differs = readings[0].to_numpy() != readings[1].to_numpy()
            if differs.any():
                ambiguous.append((col, text[both][differs].iloc[0]))
    if only["."] and only[","]:
        (a, va), (b, vb) = only["."][0], only[","][0]
        raise _error(
            f"column {a!r} writes numbers with a decimal point ({va!r}) and column {b!r} with a "
            f"decimal comma ({vb!r}); give the file's decimal mark (--decimal . or --decimal ,) "
            f"and fix the other column",
            column=b,
        )
    if only[","]:
        return ","
    if only["."]:
        return "."
    if ambiguous:
        col, value = ambiguous[0]
        point = _to_float(pd.Series([value]), ".", ",").iloc[0]
        comma = _to_float(pd.Series([value]), ",", ".").iloc[0]
        raise _error(
            f"column {col!r}: {value!r} reads as {point:g} with a decimal point and as "
            f"{comma:g} with a decimal comma, and no other value says which; give the decimal "
            f"mark (--decimal . or --decimal ,)",
            column=col,
        )
    return None


def _mostly(ok: np.ndarray) -> bool:
    """All values are numbers, or nearly all of at least 20 (a few odd values refused later)."""
    return bool(ok.all() or (ok.mean() >= _ALMOST_NUMERIC and ok.sum() >= 20))


def _refuse_almost_numeric(col: str, item: dict, ok: np.ndarray) -> None:
    if ok.all() or not _mostly(ok):
        return
    text = item["text"]
    bad = text[~ok]
    shown = sorted(set(bad.tolist()))[:5]
    listing = ",".join(shown)
    raise _error(
        f"column {col!r}: {(~ok).sum()} of {ok.size} values are not numbers ({shown}, rows "
        f"{_rows_text(bad.index.to_numpy())}) while the rest are; mark them as missing "
        f"(--na-values '{listing}') or, if the column holds categories, name it with "
        f"--categorical {col}",
        column=col,
        rows=bad.index.to_numpy()[:5],
    )


# ------------------------------------------------------------------------------- times
# families of date formats: one family reads a date in one order (year, day or month first)
_DATE_FAMILIES: dict[str, tuple[str, ...]] = {
    "iso": ("ISO8601",),
    "day.month.year": (
        "%d.%m.%Y",
        "%d.%m.%Y %H:%M",
        "%d.%m.%Y %H:%M:%S",
        "%d.%m.%y",
        "%d.%m.%y %H:%M",
    ),
    "day/month/year": ("%d/%m/%Y", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%y"),
    "month/day/year": ("%m/%d/%Y", "%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S", "%m/%d/%y"),
    "day-month-year": ("%d-%m-%Y", "%d-%m-%Y %H:%M", "%d-%m-%Y %H:%M:%S"),
    "month-day-year": ("%m-%d-%Y", "%m-%d-%Y %H:%M", "%m-%d-%Y %H:%M:%S"),
}
_MONTH_FIRST = {"month/day/year", "month-day-year"}


def _try_formats(text: pd.Series, formats: Sequence[str]) -> pd.Series:
    parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    for fmt in formats:
        todo = parsed.isna()
        if not todo.any():
            break
        attempt = pd.to_datetime(text[todo], format=fmt, errors="coerce", utc=True)
        parsed[todo] = attempt.dt.tz_localize(None).astype("datetime64[ns]")
    return parsed


def parse_times(
    values: pd.Series,
    *,
    column: str = "",
    dayfirst: bool | None = None,
    date_format: str | None = None,
) -> tuple[np.ndarray, dict[str, Any]]:
    """Times from a column: numbers as they are, dates in a detected or given format.

    Parameters
    ----------
    values : pandas.Series
        The column.
    column : str
        Its name, for messages.
    dayfirst : bool, optional
        Whether ``01/02/2024`` is the 1st of February (True) or January 2nd (False); needed
        only when both read every value.
    date_format : str, optional
        An explicit ``strftime`` format (e.g. ``"%d.%m.%Y"``); then nothing is detected.

    Returns
    -------
    (numpy.ndarray, dict)
        The times (``datetime64`` or float), and what was used: ``date_format`` (the family
        or the given format) and ``dayfirst`` (None for year-first dates).

    Raises
    ------
    DataError
        Missing or unreadable values, or dates both orders read; the message names the
        column, the rows and the fix.

    Examples
    --------
    >>> import pandas as pd
    >>> times, used = parse_times(pd.Series(["24.12.2024", "03.01.2025"]))
    >>> str(times[1])[:10], used["dayfirst"]
    ('2025-01-03', True)
    """
    if pd.api.types.is_numeric_dtype(values):
        parsed = values.to_numpy(dtype=np.float64)
        _refuse_times(column, values.index[~np.isfinite(parsed)], [], "a date/time or a number")
        return parsed, {}
    if pd.api.types.is_datetime64_any_dtype(values):
        _refuse_times(column, values.index[values.isna()], [], "a date/time")
        return values.to_numpy(), {}
    text = values.astype("str").str.strip()
    missing = values.isna() | (text == "")
    _refuse_times(column, values.index[missing], [], "a date/time or a number")
    if date_format:
        parsed = _try_formats(text, [date_format])
        bad = parsed.isna()
        _refuse_times(column, values.index[bad], text[bad], f"dates as {date_format!r}")
        return parsed.to_numpy(), {"date_format": date_format, "dayfirst": dayfirst}
    readers = {}
    for family, formats in _DATE_FAMILIES.items():
        parsed = _try_formats(text, formats)
        if parsed.notna().all():
            readers[family] = parsed
    if not readers:
        best = max(
            (_try_formats(text, f) for f in _DATE_FAMILIES.values()), key=lambda p: p.notna().sum()
        )
        bad = best.isna()
        _refuse_times(column, values.index[bad], text[bad], "dates in one format")
    family = _choose_family(readers, column, dayfirst, text)
    used = {
        "date_format": family,
        "dayfirst": None if family == "iso" else family not in _MONTH_FIRST,
    }
    return readers[family].to_numpy(), used


def _choose_family(
    readers: dict[str, pd.Series], column: str, dayfirst: bool | None, text: pd.Series
) -> str:
    if len(readers) == 1:
        return next(iter(readers))
    preferred = [f for f in readers if (f in _MONTH_FIRST) != bool(dayfirst)]
    if dayfirst is not None and preferred:
        return preferred[0]
    example = text.iloc[0]
    raise _error(
        f"time column {column!r}: dates like {example!r} read both day-first and month-first "
        f"(every day is at most 12); say which with --dayfirst / --monthfirst (dayfirst=True "
        f"or False) or give the format with --date-format (e.g. '%d/%m/%Y')",
        column=column,
    )


def _refuse_times(column: str, rows: Any, values: Any, expected: str) -> None:
    rows = np.asarray(rows)
    if rows.size == 0:
        return
    shown = sorted(set(map(str, values)))[:5] if len(values) else []
    example = f" ({shown})" if shown else ""
    raise _error(
        f"time column {column!r}: missing or unreadable times{example} in rows "
        f"{_rows_text(rows)}; expected {expected} in every row (ISO 2024-12-31, 31.12.2024, "
        f"31/12/2024 or 12/31/2024 are detected; give another with --date-format, e.g. "
        f"'%d.%m.%Y %H:%M')",
        column=column,
        rows=rows[:5],
    )


# ----------------------------------------------------------------------- saved options
def saved_read_options(options: dict[str, Any]) -> dict[str, Any]:
    """The reading options a team keeps: how values read, and what the user set.

    Parameters
    ----------
    options : dict
        Resolved reading options (see :func:`teaming.read_table`): the detected ones and
        ``explicit``, the names the user set.

    Returns
    -------
    dict
        ``decimal``, ``thousands``, ``dayfirst``, ``date_format``, ``na_values`` and
        ``categorical`` when known; ``sep`` and ``encoding`` only when the user set them (a
        later file is detected afresh).

    Examples
    --------
    >>> saved_read_options({"decimal": ",", "encoding": "cp1252", "explicit": []})
    {'decimal': ','}
    """
    explicit = set(options.get("explicit", ()))
    out = {}
    for key in READ_OPTIONS:
        value = options.get(key)
        if value is None or value == [] or (key in {"sep", "encoding"} and key not in explicit):
            continue
        out[key] = list(value) if isinstance(value, tuple) else value
    return out
