"""The catalogue package reads top to bottom and the profile does not import it."""

import ast
from pathlib import Path

import humaine.check.catalogue as catalogue_package
from humaine.check import profile

CATALOGUE = Path(catalogue_package.__file__).parent
# Each module may import only the modules listed before it.
LAYERS = ["entries", "problems", "reading", "checks", "model", "loading"]


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function, as a dotted name."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_the_profile_never_imports_the_catalogue():
    imports = imported_modules(Path(profile.__file__))
    assert not [name for name in imports if "catalogue" in name]


def test_each_catalogue_module_imports_only_those_before_it():
    assert sorted(p.stem for p in CATALOGUE.glob("*.py")) == sorted([*LAYERS, "__init__"])
    for position, layer in enumerate(LAYERS):
        imports = imported_modules(CATALOGUE / f"{layer}.py")
        later = {f".{name}" for name in LAYERS[position:]}
        assert not imports & later, f"{layer} imports {sorted(imports & later)}"


def test_the_package_init_only_re_exports():
    tree = ast.parse((CATALOGUE / "__init__.py").read_text(encoding="utf-8"))
    defined = [
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef)
    ]
    assert defined == []
    assert set(catalogue_package.__all__) <= set(dir(catalogue_package))
