"""The loaded catalogue: its entries by section, in file order, with lookups."""

from __future__ import annotations

from typing import Any

from .entries import (
    DateEntry,
    FunctionGroup,
    LocalText,
    Meta,
    Question,
    Recommendation,
    Rule,
)


class Catalogue:
    """The validated catalogue: entries by section, in file order, with lookups."""

    def __init__(self, sections: dict[str, dict[str, Any]], origins: dict[tuple[str, str], str]):
        self._sections = sections
        self._origins = origins
        self.meta: Meta = sections["meta"]["meta"]
        self.messages: dict[str, LocalText] = sections["messages"]
        self.document_texts: dict[str, LocalText] = sections["document_texts"]

    def section(self, name: str) -> list[Any]:
        """Return the entries of a list section in catalogue order."""
        return list(self._sections[name].values())

    def ids(self, name: str) -> list[str]:
        return list(self._sections[name])

    def get(self, name: str, entry_id: str) -> Any:
        return self._sections[name][entry_id]

    def has(self, name: str, entry_id: str) -> bool:
        return entry_id in self._sections[name]

    def origin(self, name: str, entry_id: str) -> str:
        """Return the file an entry comes from."""
        return self._origins.get((name, entry_id), "")

    @property
    def questions(self) -> list[Question]:
        return self.section("questions")

    @property
    def recommendations(self) -> list[Recommendation]:
        return self.section("recommendations")

    @property
    def rules(self) -> list[Rule]:
        return self.section("rules")

    def question(self, qid: str) -> Question:
        return self._sections["questions"][qid]

    def message(self, key: str, lang: str, **values: Any) -> str:
        return self.messages[key].get(lang).format(**values)

    def profile_questions(self) -> list[Question]:
        return [q for q in self.questions if q.profile is not None]

    def questions_for(self, role: str | None = None, phase: str | None = None) -> list[Question]:
        """Return the questions a role is asked (in a phase), in guided-path order."""
        order = {p.id: p.order for p in self.section("phases")}
        steps = {(p.id, s.id): i for p in self.section("phases") for i, s in enumerate(p.steps)}
        chosen = [
            q
            for q in self.questions
            if (role is None or role in q.roles) and (phase is None or q.phase == phase)
        ]
        position = {q.id: i for i, q in enumerate(self.questions)}
        return sorted(
            chosen,
            key=lambda q: (
                order[q.phase],
                steps[(q.phase, q.step)],
                q.profile is None,
                position[q.id],
            ),
        )

    def function_groups(self, sector: str | None = None) -> list[FunctionGroup]:
        """The groups of AI functions, those typical of ``sector`` first (each in catalogue
        order)."""
        groups = self.section("function_groups")
        return sorted(groups, key=lambda g: sector is None or sector not in g.sectors)

    def dates(self, date_set: str) -> dict[str, DateEntry]:
        """Return the dates of a date set with those it inherits."""
        chain = []
        current: str | None = date_set
        while current is not None:
            entry = self._sections["date_sets"][current]
            chain.append(entry)
            current = entry.inherits
        resolved: dict[str, DateEntry] = {}
        for entry in reversed(chain):
            resolved.update(entry.dates)
        return resolved
