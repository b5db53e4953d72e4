"""What is wrong in a catalogue: one :class:`Problem` per finding, all raised together."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import ValidationError

from .entries import LANGUAGES


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the catalogue."""

    file: str
    section: str
    entry: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.section}"
        if self.entry:
            where += f" '{self.entry}'"
        return f"{where}: {self.message}"


class CatalogueError(ValueError):
    """The catalogue is invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"the check's catalogue has {len(self.problems)} problem(s):\n{lines}")


def pydantic_problems(error: ValidationError) -> list[str]:
    messages = []
    for item in error.errors():
        loc = ".".join(str(part) for part in item["loc"])
        if item["type"] == "missing" and item["loc"] and item["loc"][-1] in LANGUAGES:
            messages.append(f"missing translation '{item['loc'][-1]}' at {loc}")
        elif item["type"] == "missing":
            messages.append(f"missing field '{loc}'")
        elif item["type"] == "extra_forbidden":
            messages.append(f"unknown field '{loc}'")
        else:
            messages.append(f"{loc}: {item['msg']}")
    return messages
