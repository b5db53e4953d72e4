"""Loading the catalogue: read the files, check every entry and reference, then resolve."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from .checks import Checker
from .entries import Option
from .model import Catalogue
from .problems import CatalogueError
from .reading import CATALOGUE_DIR, build_sections, read_files


def load_catalogue(directory: str | Path | None = None) -> Catalogue:
    """Load and validate the catalogue from a directory of YAML files.

    Raises :class:`CatalogueError` listing every problem (file, entry id, what is wrong).
    """
    raw, problems = read_files(Path(directory) if directory else CATALOGUE_DIR)
    sections, origins, build_problems = build_sections(raw)
    problems += build_problems
    if not problems:
        problems += Checker(sections, origins).run()
    if problems:
        raise CatalogueError(problems)
    _resolve_options(sections)
    return Catalogue(sections, origins)


def _resolve_options(sections: dict[str, dict[str, Any]]) -> None:
    for qid, q in list(sections["questions"].items()):
        if q.options_from:
            options = [Option(id=e.id, label=e.title) for e in sections[q.options_from].values()]
            sections["questions"][qid] = q.model_copy(update={"options": options})


@cache
def default_catalogue() -> Catalogue:
    """Return the catalogue shipped with the package (loaded once)."""
    return load_catalogue()
