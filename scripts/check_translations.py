"""Check that every user-facing string is translated to German and the .mo files are current.

Each app keeps its own catalogue in ``humaine/<app>/locale/``; strings of the project
itself (``humaine/*.py``, ``humaine/templates/``) live in ``humaine/locale/``. A new app
creates ``humaine/<app>/locale/de/LC_MESSAGES/`` and is covered from then on.

1. Re-extract messages (makemessages) for every catalogue into a copy and count entries
   that are untranslated or fuzzy: every string in code and templates must have German.
2. Compile each committed .po and compare with the committed .mo (which ships so the hub
   runs without gettext installed).

Run `python scripts/check_translations.py --fix` to write the refreshed .po/.mo files.
Catalogues are written without source locations and sorted by message, so two changes
that add strings rarely touch the same lines.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "humaine"
IGNORE = ["__pycache__/*", "tests/*", "*/tests/*", "migrations/*", "*/migrations/*"]
HEADER_DATE = re.compile(r'^"POT-Creation-Date: .*\\n"$', re.MULTILINE)


def catalogue_dirs() -> list[Path]:
    """The project's own catalogue first, then every app with a ``locale`` folder."""
    apps = sorted(p for p in PACKAGE.iterdir() if (p / "locale").is_dir() and p != PACKAGE)
    return [PACKAGE, *apps]


def languages(base: Path) -> list[str]:
    locale = base / "locale"
    return sorted(p.name for p in locale.iterdir() if (p / "LC_MESSAGES").is_dir())


def statistics(po: Path) -> tuple[int, int]:
    result = subprocess.run(
        ["msgfmt", "--statistics", "-o", os.devnull, str(po)],
        capture_output=True,
        text=True,
        check=True,
    )
    text = result.stderr
    untranslated = re.search(r"(\d+) untranslated", text)
    fuzzy = re.search(r"(\d+) fuzzy", text)
    return (int(untranslated.group(1)) if untranslated else 0, int(fuzzy.group(1)) if fuzzy else 0)


EXTRACT = """
import os, sys, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "humaine.settings")
django.setup()
from django.core.management import call_command
from django.test.utils import override_settings
base, ignore, langs = sys.argv[1], sys.argv[2].split(","), sys.argv[3].split(",")
os.chdir(base)
# Only the catalogue in the working folder: LOCALE_PATHS would swallow every app's strings.
with override_settings(LOCALE_PATHS=[]):
    call_command("makemessages", locale=langs, ignore_patterns=ignore, no_obsolete=True,
                 no_location=True, verbosity=0)
"""


def extract(base: Path) -> None:
    ignore = list(IGNORE)
    if base == PACKAGE:
        # "<app>/**", not "<app>/*": makemessages drops a trailing "/*" and then ignores every
        # folder of that name, templates/core/ included.
        ignore += [f"{d.name}/**" for d in catalogue_dirs() if d != PACKAGE]
        ignore += ["static/*"]
    env = dict(os.environ, DEBUG="1", PYTHONPATH=str(ROOT))
    subprocess.run(
        [sys.executable, "-c", EXTRACT, str(base), ",".join(ignore), ",".join(languages(base))],
        cwd=ROOT,
        env=env,
        check=True,
    )
    for language in languages(base):
        po = base / "locale" / language / "LC_MESSAGES" / "django.po"
        subprocess.run(["msgattrib", "--sort-output", "-o", str(po), str(po)], check=True)
        # A fixed date: the header otherwise changes on every extraction.
        po.write_text(
            HEADER_DATE.sub('"POT-Creation-Date: 2026-01-01 00:00+0000\\\\n"', po.read_text())
        )


def check_catalogue(base: Path, fix: bool) -> list[str]:
    locale = base / "locale"
    backup = Path(tempfile.mkdtemp()) / "locale"
    shutil.copytree(locale, backup)
    problems = []
    try:
        extract(base)
        for language in languages(base):
            po = locale / language / "LC_MESSAGES" / "django.po"
            untranslated, fuzzy = statistics(po)
            if untranslated or fuzzy:
                problems.append(
                    f"{po.relative_to(ROOT)}: {untranslated} untranslated, {fuzzy} fuzzy "
                    "after extraction"
                )
    finally:
        if not fix:
            shutil.rmtree(locale)
            shutil.copytree(backup, locale)
    for language in languages(base):
        po = locale / language / "LC_MESSAGES" / "django.po"
        mo = po.with_suffix(".mo")
        compiled = Path(tempfile.mkdtemp()) / "django.mo"
        subprocess.run(["msgfmt", "--check-format", "-o", str(compiled), str(po)], check=True)
        if fix:
            shutil.copy(compiled, mo)
        elif not mo.exists() or mo.read_bytes() != compiled.read_bytes():
            problems.append(f"{mo.relative_to(ROOT)} is missing or older than {po.name}")
    return problems


def main() -> int:
    fix = "--fix" in sys.argv
    problems = []
    for base in catalogue_dirs():
        problems += check_catalogue(base, fix)
    for problem in problems:
        print("translations:", problem, file=sys.stderr)
    if problems:
        print(
            "Fill the German text in the .po file named above, then run "
            "`python scripts/check_translations.py --fix`",
            file=sys.stderr,
        )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
