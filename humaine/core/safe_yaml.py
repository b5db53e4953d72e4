"""YAML from people: the safe loader, refusing documents that expand beyond a limit.

A few bytes of YAML can expand to millions of values through anchors and aliases
(``a: &a [x, x]``, ``b: &b [*a, *a]``, ...: a "billion laughs"). :func:`load` composes the
document's node graph first, counts the values it would expand to (every alias counted as
often as it is used) and builds Python objects only when that stays within ``max_values``.
"""

import yaml

MAX_VALUES = 100_000
# libyaml's parser when PyYAML was built with it (much faster), else the pure Python one.
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class TooLarge(yaml.YAMLError):
    """The document expands to more values than allowed, or nests too deep."""


def load(text: str, *, max_values: int = MAX_VALUES):
    """Like ``yaml.safe_load``, but raise :class:`TooLarge` for a document that expands."""
    loader = Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except RecursionError:
            raise TooLarge("the document nests too deep") from None
        if node is None:
            return None
        if expanded_size(node, max_values) > max_values:
            raise TooLarge(f"the document expands to more than {max_values} values")
        return loader.construct_document(node)
    finally:
        loader.dispose()


def expanded_size(root: yaml.Node, limit: int) -> int:
    """How many values ``root`` expands to (a number above ``limit`` once it passes it)."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            on_path.discard(key)
            sizes[key] = min(limit + 1, 1 + sum(sizes[id(c)] for c in _children(node)))
            continue
        if key in sizes:
            continue
        if key in on_path:  # an alias inside its own anchor: endless
            return limit + 1
        on_path.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in sizes)
    return sizes[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []
