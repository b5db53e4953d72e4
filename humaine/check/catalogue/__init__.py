"""The catalogue of the human-centred AI check: load it, validate it, look entries up.

The catalogue is every ``*.yaml`` file in this directory; each file holds one or more
sections (``questions:``, ``rules:``, ...), so a new file can add entries to any
section. Loading checks every entry and every cross-reference and raises
:class:`CatalogueError` listing each problem with its file, entry id and what is wrong.

The package reads top to bottom:

- :mod:`.entries`: one model per section's entries (what a file may say)
- :mod:`.problems`: :class:`Problem` and :class:`CatalogueError`
- :mod:`.reading`: the YAML files into entries, each checked on its own
- :mod:`.checks`: the references between entries, and conditions against the facts
- :mod:`.model`: :class:`Catalogue`, the loaded entries with their lookups
- :mod:`.loading`: :func:`load_catalogue` and :func:`default_catalogue`
"""

from .checks import REQUIRED_DOCUMENTS, REQUIRED_MESSAGES
from .entries import (
    LANGUAGES,
    LINK_TARGETS,
    LIST_SECTIONS,
    MAPPING_SECTIONS,
    Anchors,
    AnnexIIIPoint,
    AnnexILegislation,
    CoDetermination,
    DateEntry,
    DateSet,
    Document,
    FunctionGroup,
    Link,
    LocalText,
    Meta,
    Named,
    Obligation,
    Option,
    Phase,
    Practice,
    ProfileMapping,
    Question,
    Recommend,
    Recommendation,
    Rule,
    Source,
    Step,
    Transparency,
)
from .loading import default_catalogue, load_catalogue
from .model import Catalogue
from .problems import CatalogueError, Problem
from .reading import CATALOGUE_DIR

__all__ = [
    "CATALOGUE_DIR",
    "LANGUAGES",
    "LINK_TARGETS",
    "LIST_SECTIONS",
    "MAPPING_SECTIONS",
    "REQUIRED_DOCUMENTS",
    "REQUIRED_MESSAGES",
    "AnnexILegislation",
    "AnnexIIIPoint",
    "Anchors",
    "Catalogue",
    "CatalogueError",
    "CoDetermination",
    "DateEntry",
    "DateSet",
    "Document",
    "FunctionGroup",
    "Link",
    "LocalText",
    "Meta",
    "Named",
    "Obligation",
    "Option",
    "Phase",
    "Practice",
    "Problem",
    "ProfileMapping",
    "Question",
    "Recommend",
    "Recommendation",
    "Rule",
    "Source",
    "Step",
    "Transparency",
    "default_catalogue",
    "load_catalogue",
]
