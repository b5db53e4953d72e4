"""Reading the catalogue's YAML files into entries (each entry checked on its own).

Cross-references between entries are checked afterwards (:mod:`.checks`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .entries import LIST_SECTIONS, MAPPING_SECTIONS, LocalText, Meta
from .problems import Problem, pydantic_problems


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A safe loader that leaves dates as text, so the entry's model reports a bad date."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
CATALOGUE_DIR = Path(__file__).resolve().parent


def read_files(directory: Path) -> tuple[dict[str, list[tuple[str, Any]]], list[Problem]]:
    raw: dict[str, list[tuple[str, Any]]] = {s: [] for s in (*LIST_SECTIONS, *MAPPING_SECTIONS)}
    problems: list[Problem] = []
    files = sorted(directory.glob("*.yaml"))
    if not files:
        problems.append(Problem(str(directory), "catalogue", "", "no *.yaml files found"))
    for path in files:
        name = path.name
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506
        except yaml.YAMLError as exc:
            problems.append(Problem(name, "file", "", f"not valid YAML: {exc}"))
            continue
        if data is None:
            continue
        if not isinstance(data, dict):
            problems.append(
                Problem(name, "file", "", "the top level must be a mapping of sections")
            )
            continue
        for section, content in data.items():
            if section not in raw:
                problems.append(Problem(name, str(section), "", "unknown section"))
            elif section in MAPPING_SECTIONS:
                if not isinstance(content, dict):
                    problems.append(Problem(name, section, "", "must be a mapping"))
                else:
                    raw[section].append((name, content))
            elif not isinstance(content, list):
                problems.append(Problem(name, section, "", "must be a list of entries"))
            else:
                raw[section].extend((name, item) for item in content)
    return raw, problems


def build_sections(
    raw: dict[str, list[tuple[str, Any]]],
) -> tuple[dict[str, dict[str, Any]], dict[tuple[str, str], str], list[Problem]]:
    sections: dict[str, dict[str, Any]] = {}
    origins: dict[tuple[str, str], str] = {}
    problems: list[Problem] = []
    for section, model in LIST_SECTIONS.items():
        sections[section] = {}
        for file, item in raw[section]:
            entry_id = item.get("id") if isinstance(item, dict) else None
            if not isinstance(entry_id, str) or not entry_id:
                problems.append(Problem(file, section, "", f"an entry has no id: {item!r:.80}"))
                continue
            if entry_id in sections[section]:
                first = origins[(section, entry_id)]
                problems.append(
                    Problem(file, section, entry_id, f"duplicate id (first in {first})")
                )
                continue
            try:
                sections[section][entry_id] = model.model_validate(item)
                origins[(section, entry_id)] = file
            except ValidationError as exc:
                problems.extend(Problem(file, section, entry_id, m) for m in pydantic_problems(exc))
    sections["meta"] = {}
    meta_items = raw["meta"]
    if len(meta_items) != 1:
        problems.append(
            Problem("", "meta", "", f"exactly one meta section needed, found {len(meta_items)}")
        )
    for file, content in meta_items[:1]:
        try:
            sections["meta"]["meta"] = Meta.model_validate(content)
        except ValidationError as exc:
            problems.extend(Problem(file, "meta", "", m) for m in pydantic_problems(exc))
    for section in ("messages", "document_texts"):
        sections[section] = {}
        for file, content in raw[section]:
            for key, value in content.items():
                if key in sections[section]:
                    problems.append(Problem(file, section, key, "duplicate key"))
                    continue
                try:
                    sections[section][key] = LocalText.model_validate(value)
                except ValidationError as exc:
                    problems.extend(Problem(file, section, key, m) for m in pydantic_problems(exc))
    return sections, origins, problems
