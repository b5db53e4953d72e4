"""The registry shape every extension point of the hub shares."""

from dataclasses import dataclass

import pytest

from humaine.core.registry import Registry


@dataclass(frozen=True)
class Entry:
    name: str
    order: int = 100


def test_records_come_in_order_then_in_the_order_they_were_registered():
    registry = Registry("test")
    for record in (Entry("b"), Entry("a"), Entry("first", order=1)):
        registry.register(record)
    assert [r.name for r in registry] == ["first", "b", "a"]


def test_registering_a_key_again_replaces_the_record_in_its_place():
    registry = Registry("test")
    registry.register(Entry("a"))
    registry.register(Entry("b"))
    registry.register(Entry("a", order=100))
    assert registry.keys() == ["a", "b"]
    assert len(registry) == 2


def test_only_frozen_dataclasses_can_be_registered():
    @dataclass
    class Mutable:
        name: str

    registry = Registry("test")
    with pytest.raises(TypeError, match="frozen"):
        registry.register(Mutable("x"))
    with pytest.raises(TypeError):
        registry.register({"name": "x"})


def test_a_temporary_registration_is_undone_even_when_the_block_fails():
    registry = Registry("test")
    registry.register(Entry("kept"))
    with pytest.raises(RuntimeError), registry.registered(Entry("kept", order=1), Entry("toy")):
        assert registry.keys() == ["kept", "toy"]
        raise RuntimeError
    assert registry.keys() == ["kept"]
    assert registry["kept"].order == 100
