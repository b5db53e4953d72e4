"""Validated YAML data of the scenarios app: the pieces the process model and the
instrument library share (texts in two languages, problems with a message in each).

A problem names its file, section, entry and what is wrong, in German and English, so a
staff member who uploads an instrument file reads it in their own language, and a
developer reads the English text in the exception.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

LANGUAGES = ("de", "en")

# What can be wrong, in both languages; ``{...}`` are filled from the problem's params.
MESSAGES: dict[str, dict[str, str]] = {
    "yaml": {
        "de": "ist kein gültiges YAML: {detail}",
        "en": "is not valid YAML: {detail}",
    },
    "top_level": {
        "de": "die oberste Ebene muss eine Zuordnung von Abschnitten sein",
        "en": "the top level must be a mapping of sections",
    },
    "unknown_section": {"de": "unbekannter Abschnitt", "en": "unknown section"},
    "not_a_list": {"de": "muss eine Liste von Einträgen sein", "en": "must be a list of entries"},
    "not_a_mapping": {"de": "muss eine Zuordnung sein", "en": "must be a mapping"},
    "no_id": {"de": "ein Eintrag hat keine id: {detail}", "en": "an entry has no id: {detail}"},
    "duplicate_id": {
        "de": "doppelte id (zuerst in {first})",
        "en": "duplicate id (first in {first})",
    },
    "missing_translation": {
        "de": "Übersetzung '{lang}' fehlt bei {where}",
        "en": "missing translation '{lang}' at {where}",
    },
    "missing_field": {"de": "Feld '{where}' fehlt", "en": "missing field '{where}'"},
    "unknown_field": {"de": "unbekanntes Feld '{where}'", "en": "unknown field '{where}'"},
    "invalid_value": {
        "de": "ungültiger Wert bei {where}: {detail}",
        "en": "invalid value at {where}: {detail}",
    },
    "unknown_reference": {
        "de": "{what} '{ref}' gibt es nicht",
        "en": "{what} '{ref}' does not exist",
    },
    "rule": {"de": "{de}", "en": "{en}"},
    "no_files": {"de": "keine *.yaml-Dateien gefunden", "en": "no *.yaml files found"},
    "too_large": {
        "de": "die Datei ist zu groß (höchstens {limit} Zeichen)",
        "en": "the file is too large (at most {limit} characters)",
    },
}


class Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LocalText(Entry):
    """A text in German and English."""

    de: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.en if (lang or "de")[:2] == "en" else self.de


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a data file: where, and what (a message code with params)."""

    file: str
    section: str
    entry: str
    code: str
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def text(self, lang: str = "en") -> str:
        """The problem as one line in ``lang`` ("de" or "en")."""
        lang = "en" if (lang or "de")[:2] == "en" else "de"
        message = MESSAGES[self.code][lang].format(**self.params)
        where = ": ".join(part for part in (self.file, self.section) if part)
        if self.entry:
            where += f" '{self.entry}'"
        return f"{where}: {message}" if where else message

    def __str__(self) -> str:
        return self.text("en")


class DataError(ValueError):
    """A data file is invalid; ``problems`` lists every problem found."""

    what = "data"

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"the {self.what} has {len(self.problems)} problem(s):\n{lines}")

    def texts(self, lang: str) -> list[str]:
        return [p.text(lang) for p in self.problems]


def rule(file: str, section: str, entry: str, de: str, en: str) -> Problem:
    """A problem found by a cross-reference check, with its text in both languages."""
    return Problem(file, section, entry, "rule", {"de": de, "en": en})


def pydantic_problems(error: ValidationError, file: str, section: str, entry: str):
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"])
        if item["type"] == "missing" and item["loc"] and item["loc"][-1] in LANGUAGES:
            params = {"lang": item["loc"][-1], "where": where}
            yield Problem(file, section, entry, "missing_translation", params)
        elif item["type"] == "missing":
            yield Problem(file, section, entry, "missing_field", {"where": where})
        elif item["type"] == "extra_forbidden":
            yield Problem(file, section, entry, "unknown_field", {"where": where})
        else:
            yield Problem(
                file, section, entry, "invalid_value", {"where": where, "detail": item["msg"]}
            )


def parse_yaml(name: str, text: str) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Parse one file's text into its mapping of sections, or report why not."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            detail += f" (line {mark.line + 1})"
        return None, [Problem(name, "", "", "yaml", {"detail": detail})]
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        return None, [Problem(name, "", "", "top_level")]
    return data, []


def read_directory(directory: Path) -> tuple[list[tuple[str, str]], list[Problem]]:
    """The ``(name, text)`` of every ``*.yaml`` file in ``directory``, sorted by name."""
    files = sorted(directory.glob("*.yaml"))
    if not files:
        return [], [Problem(str(directory), "", "", "no_files")]
    return [(path.name, path.read_text(encoding="utf-8")) for path in files], []


def build_entries(
    items: list[tuple[str, Any]], section: str, model: type[Entry]
) -> tuple[dict[str, Any], dict[str, str], list[Problem]]:
    """Validate a list section's entries: ``(entries by id, file of each id, problems)``."""
    entries: dict[str, Any] = {}
    origins: dict[str, str] = {}
    problems: list[Problem] = []
    for file, item in items:
        entry_id = item.get("id") if isinstance(item, dict) else None
        if not isinstance(entry_id, str) or not entry_id:
            problems.append(Problem(file, section, "", "no_id", {"detail": f"{item!r:.80}"}))
            continue
        if entry_id in entries:
            problems.append(
                Problem(file, section, entry_id, "duplicate_id", {"first": origins[entry_id]})
            )
            continue
        try:
            entries[entry_id] = model.model_validate(item)
            origins[entry_id] = file
        except ValidationError as exc:
            problems.extend(pydantic_problems(exc, file, section, entry_id))
    return entries, origins, problems
