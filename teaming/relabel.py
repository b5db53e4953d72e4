"""Rename the persons of a fitted team, and take persons out of routing.

A fitted team knows its persons by position (the person model, the router's gains and
prices are columns, one per person) and by name only in its schema: the list of persons,
their roles and recent activity, per-person limits, the column mapping and the figures kept
from training. :func:`relabel_persons` renames them there, so that a team saved afterwards
(:func:`teaming.save_team`) holds the new names only: when a person's identifier must go
(an erasure under GDPR art. 17, a pseudonym that changes), the team need not be fitted
again and routes every case exactly as before, under the new names.

``retire`` names persons who must get no more cases (they left, or their data was erased):
they stay in the model (the team's figures and the other persons' models are unchanged)
but are no longer routable, whatever availability a caller passes.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
from sklearn.utils.validation import check_is_fitted

__all__ = ["relabel_persons"]

# Attributes of a fitted team that hold persons' names (keys or values, at any depth).
_NAMED = (
    "roles_",
    "person_activity_",
    "columns_",
    "data_summary_",
    "training_metrics_",
    "selection_report_",
)


def _rename(value: Any, names: Mapping[str, str]) -> Any:
    """``value`` with every string equal to an old name (as key or value) renamed."""
    if isinstance(value, str):
        return names.get(value, value)
    if isinstance(value, dict):
        return {_rename(k, names): _rename(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_rename(v, names) for v in value]
    if isinstance(value, tuple):
        return tuple(_rename(v, names) for v in value)
    if isinstance(value, np.ndarray) and value.dtype == object:
        return np.array([_rename(v, names) for v in value.tolist()], dtype=object).reshape(
            value.shape
        )
    return value


def relabel_persons(team: Any, mapping: Mapping[str, str], retire: Iterable[str] = ()) -> Any:
    """A copy of a fitted team with its persons renamed (and some taken out of routing).

    Parameters
    ----------
    team : HumanAITeam
        A fitted team; it is not changed.
    mapping : dict
        ``{old name: new name}``. Names the team does not know are ignored; a person not
        named keeps their name.
    retire : iterable of str, optional
        Persons (old or new names) who get no cases any more: they stay in the model but
        are not routable.

    Returns
    -------
    HumanAITeam
        The renamed team; it routes like ``team`` (same decisions, same persons by
        position) except that retired persons get no cases.

    Raises
    ------
    ValueError
        A new name is empty, or two persons would share a name.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from teaming import HumanAITeam
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"a": rng.normal(size=300)}); y = (X.a > 0).astype(int)
    >>> H = pd.DataFrame({"anna": np.where(rng.random(300) < 0.9, y, 1 - y),
    ...                   "ben": np.where(rng.random(300) < 0.8, y, 1 - y)})
    >>> team = HumanAITeam(method="combine").fit(X, y, H)
    >>> renamed = relabel_persons(team, {"anna": "P-1"}, retire=["ben"])
    >>> renamed.persons_, team.persons_
    (['P-1', 'ben'], ['anna', 'ben'])
    >>> "ben" in set(renamed.route(X, explain=False).routed_to)
    False
    """
    check_is_fitted(team)
    names = {str(old): str(new) for old, new in mapping.items() if str(old) in team.persons_}
    if any(not new.strip() for new in names.values()):
        raise ValueError("a person's new name must not be empty")
    renamed = [names.get(p, p) for p in team.persons_]
    if len(set(renamed)) != len(renamed):
        doubled = sorted({p for p in renamed if renamed.count(p) > 1})
        raise ValueError(f"two persons would share the name {doubled[0]!r}")
    out = copy.deepcopy(team)
    out.__dict__.pop("_router_cache", None)
    out.persons_ = renamed
    for attribute in _NAMED:
        if hasattr(out, attribute):
            setattr(out, attribute, _rename(getattr(out, attribute), names))
    if isinstance(out.person_capacity, Mapping):
        out.person_capacity = _rename(dict(out.person_capacity), names)
    gone = {names.get(str(p), str(p)) for p in retire} & set(renamed)
    if gone:
        out.routable_ = np.asarray(out.routable_, dtype=bool).copy()
        for j, person in enumerate(renamed):
            if person in gone:
                out.routable_[j] = False
        activity = dict(getattr(out, "person_activity_", None) or {})
        activity["active"] = [p for p in activity.get("active", renamed) if p not in gone]
        activity.setdefault("last_decision", dict.fromkeys(renamed))
        activity.setdefault("since", None)
        out.person_activity_ = activity
    out.persons_left_out_ = [p for p, ok in zip(out.persons_, out.routable_) if not ok]
    out.router_ = out._make_router()
    return out
