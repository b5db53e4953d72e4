"""Did work get better? Targets judged on survey results, with their uncertainty.

A judgement uses the confidence interval, not only the point estimate: a change counts as
better or worse only when its whole interval lies on one side of zero; otherwise it is
"no clear change". No Django here.

    >>> from humaine.scenarios.stats import Change, Interval
    >>> direction(Change(True, 8, 8, 8, -12.0, Interval(-20.0, -4.0)), higher_is_better=False)
    'better'
    >>> judge("not_worse", None, higher_is_better=False, mean=None,
    ...       interval=None, change=Change(False, 9, 9, 0, 3.0, Interval(-2.0, 8.0)))
    'unclear'
"""

from __future__ import annotations

from .stats import Change, Interval

BETTER, WORSE, NO_CLEAR_CHANGE = "better", "worse", "no_clear_change"
MET, NOT_MET, UNCLEAR, NO_DATA = "met", "not_met", "unclear", "no_data"


def direction(change: Change | None, *, higher_is_better: bool) -> str | None:
    """better, worse or no_clear_change (None without a change to judge)."""
    if change is None or change.interval is None:
        return None
    sign = 1 if higher_is_better else -1
    low, high = sorted((sign * change.interval.low, sign * change.interval.high))
    if low > 0:
        return BETTER
    if high < 0:
        return WORSE
    return NO_CLEAR_CHANGE


def judge(
    kind: str,
    value: float | None,
    *,
    higher_is_better: bool,
    mean: float | None,
    interval: Interval | None,
    change: Change | None,
) -> str:
    """Whether a target is met, not met or unclear (no_data when the figures are withheld)."""
    if kind in ("not_worse", "improve"):
        moved = direction(change, higher_is_better=higher_is_better)
        if moved is None:
            return NO_DATA
        if kind == "improve":
            return {BETTER: MET, WORSE: NOT_MET}.get(moved, UNCLEAR)
        if moved == WORSE:
            return NOT_MET
        sign = 1 if higher_is_better else -1
        return MET if sign * change.difference >= 0 else UNCLEAR
    if mean is None or value is None:
        return NO_DATA
    low, high = (interval.low, interval.high) if interval else (mean, mean)
    if kind == "at_least":
        return MET if low >= value else NOT_MET if high < value else UNCLEAR
    if kind == "at_most":
        return MET if high <= value else NOT_MET if low > value else UNCLEAR
    raise ValueError(f"unknown target kind {kind!r}")
