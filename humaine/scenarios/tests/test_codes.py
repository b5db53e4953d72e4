"""The self-generated code: same answers, same keyed hash; nothing readable is stored."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from humaine.scenarios.codes import CodeError, code_hash, normalise
from humaine.scenarios.instruments import default_library

QUESTIONS = default_library().code_questions
ANSWERS = {"mother": "Anna", "birthday": "3", "birthplace": "Essen"}


def test_the_same_code_gives_the_same_hash_and_another_scope_another_one():
    first = code_hash(b"key", "survey-1", QUESTIONS, ANSWERS)
    again = code_hash(
        b"key", "survey-1", QUESTIONS, {"mother": "an", "birthday": "03", "birthplace": "ES"}
    )
    assert first == again
    assert code_hash(b"key", "survey-2", QUESTIONS, ANSWERS) != first
    assert code_hash(b"other key", "survey-1", QUESTIONS, ANSWERS) != first


def test_the_hash_holds_nothing_of_the_answers():
    value = code_hash(b"key", "s", QUESTIONS, ANSWERS)
    assert len(value) == 64 and set(value) <= set("0123456789abcdef")


def test_no_code_is_fine_a_partial_code_is_not():
    assert code_hash(b"key", "s", QUESTIONS, {"mother": " ", "birthday": ""}) is None
    with pytest.raises(CodeError) as error:
        code_hash(b"key", "s", QUESTIONS, {"mother": "Anna"})
    assert error.value.code == "partial"
    assert "alle Felder" in error.value.text("de")


@pytest.mark.parametrize(
    ("question", "value"), [("mother", "A"), ("birthday", "123"), ("birthday", "x1")]
)
def test_answers_that_do_not_fit_are_refused(question, value):
    q = next(q for q in QUESTIONS if q.id == question)
    with pytest.raises(CodeError):
        normalise(q, value)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzäöüéABC", min_size=2, max_size=10))
def test_letters_ignore_case_and_accents(word):
    q = next(q for q in QUESTIONS if q.id == "mother")
    assert normalise(q, word) == normalise(q, word.upper().swapcase())
