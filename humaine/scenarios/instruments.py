"""The survey instrument library: scales, items, their sources and licences, as data.

Every ``*.yaml`` file in ``data/instruments/`` is read (sections ``response_scales``,
``sources``, ``scales``, ``items``, ``open_questions``, ``code_questions``); items that
staff add in the hub come in as ``extra`` mappings of the same shape. Loading validates
every entry and reference and raises :class:`InstrumentError` listing each problem in
German and English. No Django here.

    >>> library = default_library()
    >>> [i.id for i in library.scale("trust").items][:2]
    ['TRU-1', 'TRU-2']
    >>> library.source_of("TLX-MENTAL").licence.startswith("Public domain")
    True
    >>> scale_score(library, ["ACC-1", "ACC-4"], {"ACC-1": 5, "ACC-4": 1})
    5.0
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from .datafiles import (
    DataError,
    Entry,
    LocalText,
    Problem,
    build_entries,
    parse_yaml,
    read_directory,
    rule,
)

DEFAULT_DIR = Path(__file__).resolve().parent / "data" / "instruments"
LIST_SECTIONS = (
    "response_scales",
    "sources",
    "scales",
    "items",
    "open_questions",
    "code_questions",
)
MAX_FILE_CHARS = 200_000
MAX_TEXT_ANSWER = 2_000


class InstrumentError(DataError):
    what = "instrument library"


class Label(Entry):
    value: int
    text: LocalText


class ResponseScale(Entry):
    id: str
    min: int
    max: int
    step: int = Field(1, gt=0)
    labels: list[Label] = []

    def values(self) -> list[int]:
        return list(range(self.min, self.max + 1, self.step))

    def label(self, value: int, lang: str) -> str:
        for label in self.labels:
            if label.value == value:
                return label.text.get(lang)
        return str(value)

    def bins(self) -> list[tuple[float, float]]:
        """Bins of the distribution of scale scores: one per labelled point, else five."""
        if self.labels:
            points = sorted(label.value for label in self.labels)
            edges = [points[0] - 0.5 * self.step]
            edges += [(a + b) / 2 for a, b in zip(points, points[1:])]
            edges.append(points[-1] + 0.5 * self.step)
        else:
            width = (self.max - self.min) / 5
            edges = [self.min + k * width for k in range(6)]
        return list(zip(edges, edges[1:]))


class Source(Entry):
    id: str
    own: bool
    citation: str = Field(min_length=3)
    licence: str = Field(min_length=3)
    url: str | None = None


class Anchors(Entry):
    low: LocalText
    high: LocalText


class Item(Entry):
    id: str
    source: str
    text: LocalText
    reverse: bool = False
    # Where the text's translation comes from, when not from the item's source.
    translation: str | None = None
    anchors: Anchors | None = None
    # Only in the "items" section (and for items staff add): the scale it belongs to.
    scale: str | None = None


class Scale(Entry):
    id: str
    title: LocalText
    description: LocalText
    instruction: LocalText | None = None
    response: str
    higher_is_better: bool
    basis: str = ""
    items: list[Item] = []


class OpenQuestion(Entry):
    id: str
    source: str
    text: LocalText


class CodeQuestion(Entry):
    id: str
    kind: Literal["letters", "digits"]
    length: int = Field(ge=1, le=4)
    text: LocalText


SECTION_MODELS: dict[str, type[Entry]] = {
    "response_scales": ResponseScale,
    "sources": Source,
    "scales": Scale,
    "items": Item,
    "open_questions": OpenQuestion,
    "code_questions": CodeQuestion,
}


class Library:
    """The validated library: scales with all their items, sources, questions."""

    def __init__(self, sections: dict[str, dict[str, Any]], origins: dict[tuple[str, str], str]):
        self._s = sections
        self._origins = origins
        self._item_scale = {i.id: s.id for s in self.scales for i in s.items}
        self._items = {i.id: i for s in self.scales for i in s.items}

    @property
    def scales(self) -> list[Scale]:
        return list(self._s["scales"].values())

    @property
    def sources(self) -> list[Source]:
        return list(self._s["sources"].values())

    @property
    def open_questions(self) -> list[OpenQuestion]:
        return list(self._s["open_questions"].values())

    @property
    def code_questions(self) -> list[CodeQuestion]:
        return list(self._s["code_questions"].values())

    def scale(self, scale_id: str) -> Scale:
        return self._s["scales"][scale_id]

    def has_scale(self, scale_id: str) -> bool:
        return scale_id in self._s["scales"]

    def item(self, item_id: str) -> Item:
        return self._items[item_id]

    def has_item(self, item_id: str) -> bool:
        return item_id in self._items

    def scale_of(self, item_id: str) -> Scale:
        return self.scale(self._item_scale[item_id])

    def response_of(self, scale_id: str) -> ResponseScale:
        return self._s["response_scales"][self.scale(scale_id).response]

    def source(self, source_id: str) -> Source:
        return self._s["sources"][source_id]

    def source_of(self, item_id: str) -> Source:
        return self.source(self.item(item_id).source)

    def open_question(self, question_id: str) -> OpenQuestion:
        return self._s["open_questions"][question_id]

    def has_open_question(self, question_id: str) -> bool:
        return question_id in self._s["open_questions"]

    def is_own(self, item_id: str) -> bool:
        """Whether the item (or its translation) is HUMAINE's own wording."""
        item = self.item(item_id)
        sources = [item.source] + ([item.translation] if item.translation else [])
        return any(self.source(s).own for s in sources)

    def origin(self, section: str, entry_id: str) -> str:
        return self._origins.get((section, entry_id), "")


# ---------------------------------------------------------------------------- loading


def _collect(
    files: Iterable[tuple[str, str]], extra: Iterable[Mapping[str, Any]]
) -> tuple[dict[str, list[tuple[str, Any]]], list[Problem]]:
    raw: dict[str, list[tuple[str, Any]]] = {s: [] for s in LIST_SECTIONS}
    problems: list[Problem] = []
    for name, text in files:
        if len(text) > MAX_FILE_CHARS:
            problems.append(Problem(name, "", "", "too_large", {"limit": MAX_FILE_CHARS}))
            continue
        data, found = parse_yaml(name, text)
        problems += found
        for section, content in (data or {}).items():
            if section not in raw:
                problems.append(Problem(name, str(section), "", "unknown_section"))
            elif not isinstance(content, list):
                problems.append(Problem(name, section, "", "not_a_list"))
            else:
                raw[section].extend((name, item) for item in content)
    raw["items"].extend(("database", dict(item)) for item in extra)
    return raw, problems


def _build(raw: dict[str, list[tuple[str, Any]]]):
    sections: dict[str, dict[str, Any]] = {}
    origins: dict[tuple[str, str], str] = {}
    problems: list[Problem] = []
    for section, model in SECTION_MODELS.items():
        entries, files, found = build_entries(raw[section], section, model)
        sections[section] = entries
        origins.update({(section, key): file for key, file in files.items()})
        problems += found
    return sections, origins, problems


def _ref(origins, section, entry, what, ref) -> Problem:
    return Problem(
        origins.get((section, entry), ""),
        section,
        entry,
        "unknown_reference",
        {"what": what, "ref": ref},
    )


def _check_response_scales(s, origins) -> list[Problem]:
    problems = []
    for scale in s["response_scales"].values():
        file = origins.get(("response_scales", scale.id), "")
        if scale.max <= scale.min or (scale.max - scale.min) % scale.step:
            problems.append(
                rule(
                    file,
                    "response_scales",
                    scale.id,
                    "max muss über min liegen und (max - min) ein Vielfaches von step sein",
                    "max must be above min and (max - min) a multiple of step",
                )
            )
            continue
        values = [label.value for label in scale.labels]
        if len(values) != len(set(values)) or any(v not in scale.values() for v in values):
            problems.append(
                rule(
                    file,
                    "response_scales",
                    scale.id,
                    "Beschriftungen müssen verschiedene Werte der Skala sein",
                    "labels must be distinct values of the scale",
                )
            )
    return problems


def _check_items(s, origins, scales_items) -> list[Problem]:
    problems = []
    seen: dict[str, str] = {}
    for scale_id, items in scales_items.items():
        scale = s["scales"][scale_id]
        response = s["response_scales"].get(scale.response)
        for section, item in items:
            file = origins.get((section, item.id), "") or origins.get(("scales", scale_id), "")
            if item.id in seen:
                problems.append(
                    Problem(file, section, item.id, "duplicate_id", {"first": seen[item.id]})
                )
                continue
            seen[item.id] = file
            for what, ref in (("source", item.source), ("translation source", item.translation)):
                if ref is not None and ref not in s["sources"]:
                    problems.append(_ref(origins, section, item.id, what, ref))
            if response is not None and not response.labels and item.anchors is None:
                problems.append(
                    rule(
                        file,
                        section,
                        item.id,
                        "ein Item auf einer Skala ohne Beschriftungen braucht anchors",
                        "an item on a scale without labels needs anchors",
                    )
                )
    for question in s["open_questions"].values():
        if question.id in seen:
            problems.append(
                Problem(
                    origins.get(("open_questions", question.id), ""),
                    "open_questions",
                    question.id,
                    "duplicate_id",
                    {"first": seen[question.id]},
                )
            )
        if question.source not in s["sources"]:
            problems.append(_ref(origins, "open_questions", question.id, "source", question.source))
    return problems


def _merge_items(s, origins) -> tuple[dict[str, list[tuple[str, Item]]], list[Problem]]:
    problems = []
    scales_items: dict[str, list[tuple[str, Item]]] = {
        scale_id: [("scales", i) for i in scale.items] for scale_id, scale in s["scales"].items()
    }
    for item in s["items"].values():
        if item.scale is None:
            problems.append(
                Problem(
                    origins.get(("items", item.id), ""),
                    "items",
                    item.id,
                    "missing_field",
                    {"where": "scale"},
                )
            )
        elif item.scale not in s["scales"]:
            problems.append(_ref(origins, "items", item.id, "scale", item.scale))
        else:
            scales_items[item.scale].append(("items", item))
    for scale_id, scale in s["scales"].items():
        if scale.response not in s["response_scales"]:
            problems.append(_ref(origins, "scales", scale_id, "response scale", scale.response))
        if not scales_items[scale_id]:
            problems.append(
                rule(
                    origins.get(("scales", scale_id), ""),
                    "scales",
                    scale_id,
                    "eine Skala braucht mindestens ein Item",
                    "a scale needs at least one item",
                )
            )
    return scales_items, problems


def _assemble(files, extra) -> Library:
    raw, problems = _collect(files, extra)
    sections, origins, found = _build(raw)
    problems += found
    if problems:
        raise InstrumentError(problems)
    scales_items, problems = _merge_items(sections, origins)
    problems += _check_response_scales(sections, origins)
    problems += _check_items(sections, origins, scales_items)
    if problems:
        raise InstrumentError(problems)
    for scale_id, items in scales_items.items():
        sections["scales"][scale_id] = sections["scales"][scale_id].model_copy(
            update={"items": [item for _section, item in items]}
        )
    return Library(sections, origins)


def load_library(
    directory: str | Path | None = None, extra: Iterable[Mapping[str, Any]] = ()
) -> Library:
    """Load the library from a folder of YAML files, plus ``extra`` items (from the hub)."""
    files, problems = read_directory(Path(directory) if directory else DEFAULT_DIR)
    if problems:
        raise InstrumentError(problems)
    return _assemble(files, extra)


def parse_instrument_file(
    text: str,
    name: str = "upload.yaml",
    directory: str | Path | None = None,
    extra: Iterable[Mapping[str, Any]] = (),
) -> Library:
    """Validate an uploaded instrument file together with the library it would join."""
    files, problems = read_directory(Path(directory) if directory else DEFAULT_DIR)
    if problems:
        raise InstrumentError(problems)
    return _assemble([*files, (name, text)], extra)


@cache
def default_library() -> Library:
    """The library shipped with the package (loaded once; the hub adds its own items)."""
    return load_library()


# ---------------------------------------------------------------------------- answers

ANSWER_MESSAGES = {
    "unknown_item": {
        "de": "Diese Frage gehört nicht zur Befragung.",
        "en": "This question is not part of the survey.",
    },
    "not_a_number": {"de": "Bitte eine Zahl wählen.", "en": "Please choose a number."},
    "out_of_range": {
        "de": "Bitte einen Wert von {min} bis {max} wählen.",
        "en": "Please choose a value from {min} to {max}.",
    },
    "too_long": {
        "de": "Bitte höchstens {limit} Zeichen.",
        "en": "Please use at most {limit} characters.",
    },
}


class AnswerError(ValueError):
    """An answer does not fit its item; ``item_id`` and ``code`` say which and why."""

    def __init__(self, item_id: str, code: str, **params: Any):
        self.item_id, self.code, self.params = item_id, code, params
        super().__init__(f"{item_id}: {self.text('en')}")

    def text(self, lang: str) -> str:
        lang = "en" if (lang or "de")[:2] == "en" else "de"
        return ANSWER_MESSAGES[self.code][lang].format(**self.params)


def clean_answers(
    library: Library, item_ids: Iterable[str], raw: Mapping[str, Any]
) -> dict[str, int]:
    """Validate rated answers: ``{item id: value}`` for the given items; blanks are skipped.

    Raises :class:`AnswerError` on the first answer that is not one of its scale's values
    or that names an item outside ``item_ids``.
    """
    allowed = set(item_ids)
    clean: dict[str, int] = {}
    for item_id, value in raw.items():
        if item_id not in allowed or not library.has_item(item_id):
            raise AnswerError(item_id, "unknown_item")
        if value in (None, ""):
            continue
        try:
            number = int(str(value).strip())
        except ValueError:
            raise AnswerError(item_id, "not_a_number") from None
        response = library.response_of(library.scale_of(item_id).id)
        if number not in response.values():
            raise AnswerError(item_id, "out_of_range", min=response.min, max=response.max)
        clean[item_id] = number
    return clean


def clean_texts(question_ids: Iterable[str], raw: Mapping[str, Any]) -> dict[str, str]:
    """Validate free-text answers; empty ones are skipped."""
    allowed = set(question_ids)
    clean = {}
    for question_id, value in raw.items():
        if question_id not in allowed:
            raise AnswerError(question_id, "unknown_item")
        text = " ".join(str(value or "").split())
        if len(text) > MAX_TEXT_ANSWER:
            raise AnswerError(question_id, "too_long", limit=MAX_TEXT_ANSWER)
        if text:
            clean[question_id] = text
    return clean


def keyed_value(library: Library, item_id: str, value: int) -> int:
    """The value with reversed items turned round, so higher always means "more"."""
    item = library.item(item_id)
    if not item.reverse:
        return value
    response = library.response_of(library.scale_of(item_id).id)
    return response.min + response.max - value


def scale_score(library: Library, item_ids: Iterable[str], answers: Mapping[str, int]):
    """The scale score: the mean of the keyed items, or None unless every item is answered.

    Only complete answers count, so the mean, the distribution and the internal
    consistency of a group rest on the very same people.
    """
    ids = list(item_ids)
    if not ids or any(answers.get(i) is None for i in ids):
        return None
    values = [keyed_value(library, i, int(answers[i])) for i in ids]
    score = sum(values) / len(values)
    return score if math.isfinite(score) else None
