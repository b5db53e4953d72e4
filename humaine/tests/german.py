"""Does a German page read as German? :func:`findings` lists what a German reader should not
see: internal names (``processes_personal_data``, ``inquiry.submitted``, ``P-SECTOR``) and
English words where German text belongs.

Only the page's text is read, as a person sees it: not attribute values, not scripts or
styles, and not ``<code>``, ``<pre>``, ``<kbd>``, ``<samp>`` or ``<textarea>`` (code and
what someone typed), nor any element marked as another language (``lang="en"``, e.g. an
English inquiry's own text) or as not to be translated (``translate="no"``: names, usernames,
recorded values). Each rule is narrow enough that German prose never trips it:

- snake_case: a word of lower-case letters and digits joined by underscores
  (``works_council``), outside web and email addresses and file paths;
- audit actions: a registered action's name, or ``word.word_word`` of lower-case words;
- catalogue keys: the ids of the check's catalogue entries that contain ``-`` or ``_``
  (question codes such as ``P-SECTOR``; snake_case ids are caught above);
- English: words from a short list that are not German words (``the``, ``and``,
  ``with``, ``Ready``, ``Successful``, ``Annex``, ``machinery`` ...), and Python's
  ``True``/``False``/``None``.
"""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser

SKIPPED = {"code", "pre", "kbd", "samp", "textarea", "script", "style", "template", "svg"}
VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
}  # fmt: skip

# Words that are English and not German. Not here, because German uses them too: "in",
# "an", "so", "will", "man", "also", "hat", "war", "was", "Team", "Status", "Check",
# "Person", "Organisation", "Filter", "Login", "Account", "Event", "Download", "Upload",
# "Monitoring", "Report", "Show", "Base", "minimal", "Medium".
ENGLISH = {
    "the", "and", "with", "for", "this", "that", "these", "your", "you", "from", "are", "is",
    "of", "been", "have", "has", "were", "which", "what", "when", "where", "who",
    "should", "would", "could", "must", "not", "yes", "none", "other", "please", "here",
    "ready", "successful", "failed", "running", "pending", "submitted", "accepted",
    "declined", "closed", "open", "new", "matched", "draft", "unknown", "high", "low",
    "risk", "annex", "point", "machinery", "article", "workers", "employees", "inquiry",
    "inquiries", "expert", "experts", "staff", "member", "members", "save", "cancel",
    "delete", "edit", "next", "search", "hide", "send", "sent", "unread", "email",
    "settings", "password", "logout", "since", "until", "today", "yesterday",
    "hours", "month", "week", "year", "days", "people", "company", "organization",
    "sector", "health", "insurance", "industry", "assessment",
    "recruitment", "scenario", "scenarios", "survey", "knowledge", "entry", "entries",
    "result", "results", "reports", "document", "documents", "question", "questions",
    "answer", "answers", "notifications", "notification", "queue", "message", "messages",
    "agree", "agrees", "disagree", "conditions", "objects", "objected",
}  # fmt: skip
PYTHON = {"True", "False", "None"}

_URL = re.compile(
    r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|\b[\w.-]+\.(?:de|com|org|net|eu|io)\b"
    r"|\b[\w.-]+(?:/[\w.-]+)+\.\w+\b"  # a file's path, e.g. docs/scenarios.md
)
_SNAKE = re.compile(r"(?<![\w.-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w-])")
_DOTTED = re.compile(r"(?<![\w.])[a-z]+(?:_[a-z]+)*\.[a-z]+_[a-z_]+(?![\w])")
_WORD = re.compile(r"[A-Za-zÄÖÜäöüß]+(?:['’][a-z]+)?")


class _Text(HTMLParser):
    """The text a reader sees, in runs, outside skipped and other-language elements."""

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.stack: list[tuple[str, bool]] = []  # (tag, hidden from the check)
        self.runs: list[str] = []

    def _hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        attributes = dict(attrs)
        lang = attributes.get("lang")
        other = lang is not None and not lang.lower().startswith(self.language)
        other = other or attributes.get("translate") == "no"
        self.stack.append((tag, self._hidden() or tag in SKIPPED or other))

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if not self._hidden() and data.strip():
            self.runs.append(" ".join(data.split()))


@cache
def _registered_actions() -> frozenset[str]:
    from humaine.core.action_registry import ACTIONS

    return frozenset(action.name for action in ACTIONS)


@cache
def _catalogue_codes() -> frozenset[str]:
    """Catalogue ids with ``-`` (question codes): they never read as German words."""
    from humaine.check.catalogue import LIST_SECTIONS, default_catalogue

    catalogue = default_catalogue()
    return frozenset(
        entry_id for section in LIST_SECTIONS for entry_id in catalogue.ids(section)
        if "-" in entry_id
    )  # fmt: skip


def text_runs(html: str, language: str = "de") -> list[str]:
    parser = _Text(language)
    parser.feed(html)
    parser.close()
    return parser.runs


def findings(html: str, language: str = "de") -> list[str]:
    """What on a page in ``language`` (German) is an internal name or English, each with
    the text it stands in."""
    out = []
    actions = _registered_actions()
    codes = _catalogue_codes()
    for run in text_runs(html, language):
        text = _URL.sub(" ", run)
        found = [f"snake_case '{m}'" for m in _SNAKE.findall(text)]
        found += [f"audit action '{m}'" for m in _DOTTED.findall(text)]
        found += [
            f"audit action '{name}'"
            for name in actions
            if name in text and f"audit action '{name}'" not in found
        ]
        words = _WORD.findall(text)
        found += [f"catalogue key '{code}'" for code in codes if re.search(
            rf"(?<![\w-]){re.escape(code)}(?![\w-])", text
        )]  # fmt: skip
        found += [f"English '{w}'" for w in words if w.lower() in ENGLISH or w in PYTHON]
        out += [f"{item} in: {run[:160]}" for item in found]
    return out
