"""What each column of a data set means: the user's mapping, checked against the table.

The mapping names the target, the case id, the features (and which of them are free
text), the people's decisions (columns of the table, or a second long file with case,
person and decision columns), group columns for fairness figures, a time column and a cost
column. :meth:`Mapping.problems` checks it against the columns a preview found, before
anything reads the whole file; :meth:`Mapping.load_options` gives the engine's
``load_data`` arguments for the prepared (pseudonymised) tables.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from .problems import Problem

__all__ = ["DECISION_COLUMNS", "Mapping"]

# Column names of a prepared decisions table (the engine's defaults).
DECISION_COLUMNS = ("case_id", "person", "decision")
READ_OPTION_KEYS = ("sep", "encoding", "decimal", "thousands", "dayfirst", "date_format")


@dataclass
class Mapping:
    target: str = ""
    id: str | None = None
    features: list[str] = field(default_factory=list)
    text_features: list[str] = field(default_factory=list)
    humans: list[str] = field(default_factory=list)
    # A long decisions file: {"case": column, "person": column, "decision": column}.
    decisions: dict[str, str] | None = None
    groups: list[str] = field(default_factory=list)
    time: str | None = None
    cost: str | None = None
    sheet: str | None = None
    decisions_sheet: str | None = None
    min_person_cases: int = 10
    read_options: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Mapping:
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in (data or {}).items() if k in known})

    # ------------------------------------------------------------------ checks

    def roles(self) -> list[tuple[str, str]]:
        """(role, column) for every column the mapping uses in the cases table."""
        out = [("target", self.target)] if self.target else []
        out += [("id", self.id)] if self.id else []
        out += [("features", c) for c in self.features]
        out += [("text_features", c) for c in self.text_features if c not in self.features]
        out += [("humans", c) for c in self.humans]
        out += [("groups", c) for c in self.groups]
        out += [("time", self.time)] if self.time else []
        out += [("cost", self.cost)] if self.cost else []
        return out

    def problems(
        self, columns: list[str], decision_columns: list[str] | None = None
    ) -> list[Problem]:
        """What is wrong with the mapping for a table with ``columns`` (and a decisions file)."""
        found: list[Problem] = []
        if not self.target:
            found.append(Problem("no_target"))
        present = set(columns)
        for role, column in self.roles():
            if column not in present:
                found.append(Problem("missing_column", column, params={"role": role}))
        found += self._overlaps()
        if not (self.features or self.text_features):
            found.append(Problem("no_features"))
        if self.humans and self.decisions:
            found.append(Problem("decisions_twice"))
        if self.decisions:
            found += self._long_problems(decision_columns)
        return found

    def _overlaps(self) -> list[Problem]:
        seen: dict[str, str] = {}
        found = []
        for role, column in self.roles():
            # a group column may also be a feature, and free text is a kind of feature
            if role == "groups" and seen.get(column) == "features":
                continue
            if column in seen and seen[column] != role:
                found.append(
                    Problem("two_roles", column, params={"role": seen[column], "other": role})
                )
            seen.setdefault(column, role)
        return found

    def _long_problems(self, decision_columns: list[str] | None) -> list[Problem]:
        found = []
        if not self.id:
            found.append(Problem("id_for_long"))
        if decision_columns is None:
            return [*found, Problem("decisions_file_missing")]
        for role in ("case", "person", "decision"):
            column = (self.decisions or {}).get(role) or ""
            if column not in decision_columns:
                found.append(
                    Problem(
                        "missing_decision_column",
                        column,
                        params={"role": role},
                        source="decisions",
                    )
                )
        return found

    # --------------------------------------------------------------- the engine

    @property
    def feature_columns(self) -> list[str]:
        return list(dict.fromkeys([*self.features, *self.text_features]))

    @property
    def case_columns(self) -> list[str]:
        """The columns kept from the cases table (every other one is dropped)."""
        return list(dict.fromkeys(column for _, column in self.roles()))

    def load_options(self, persons: list[str] | None = None) -> dict[str, Any]:
        """``teaming.load_data`` keyword arguments for the prepared tables.

        ``persons`` are the pseudonymised decision columns (wide); a long decisions table
        is passed separately as ``decisions=``.
        """
        options: dict[str, Any] = {
            "target": self.target,
            "id": self.id or None,
            "features": self.feature_columns,
            "text_features": list(self.text_features),
            "groups": list(self.groups),
            "time": self.time or None,
            "cost": self.cost or None,
            "min_person_cases": int(self.min_person_cases),
        }
        if self.humans:
            options["humans"] = list(persons if persons is not None else self.humans)
        if self.decisions:
            options["decision_columns"] = DECISION_COLUMNS
        if self.time and self.read_options.get("date_format"):
            options["read_options"] = {"date_format": self.read_options["date_format"]}
        elif self.time and self.read_options.get("dayfirst") is not None:
            options["read_options"] = {"dayfirst": self.read_options["dayfirst"]}
        return options

    def table_read_options(self) -> dict[str, Any]:
        return {
            k: v for k, v in self.read_options.items() if k in READ_OPTION_KEYS and v not in ("",)
        }
