"""Every registered section of personal data: exported, then erased without a trace.

Each app registers an example of its data about a person (``tests/hooks.py``) with a
marker in every text it holds; the export must contain the marker in that section, and
after staff erase the person, no text or JSON column of any table holds it any more.
"""

import json

import pytest

from humaine.contact import services
from humaine.core.personal_data import SECTIONS
from humaine.tests import factories as f
from humaine.tests.hooks import EXAMPLES, load_hooks
from humaine.tests.leaks import assert_nowhere, find_everywhere

load_hooks()


@pytest.fixture
def person(cast):
    """A person with an account: a company member who also works as an expert."""
    return f.make_person(organisation=cast.acme, user=cast.member)


def test_every_section_has_an_example_of_its_data():
    missing = [s.name for s in SECTIONS if s.name not in EXAMPLES]
    assert not missing, f"register a PersonalDataExample in the app's tests/hooks.py: {missing}"


@pytest.mark.parametrize("section", SECTIONS.all(), ids=lambda s: s.name)
def test_a_section_exports_its_data_and_erasure_leaves_none_of_it(section, cast, person):
    marker = f"zqmarker{section.name.replace('_', '')}"
    EXAMPLES[section.name].make(person, marker, cast)
    assert find_everywhere(marker), "the example stored nothing with the marker"
    exported = services.export_person(person, actor=cast.staff)
    assert marker in json.dumps(exported.get(section.name), ensure_ascii=False), section.name
    services.erase_person(person, actor=cast.staff)
    assert_nowhere(marker)


def test_all_sections_together_leave_nothing(cast, person):
    for section in SECTIONS:
        EXAMPLES[section.name].make(person, "zqmarkerall", cast)
    services.erase_person(person, actor=cast.staff)
    assert_nowhere("zqmarkerall")
