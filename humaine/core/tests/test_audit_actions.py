"""The audit trail's actions: one registered list, every recorded name on it, words on pages."""

import ast
import importlib
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.utils import translation

import humaine
from humaine.contact.models import Inquiry
from humaine.contact.services import change_status
from humaine.core import audit
from humaine.core.models import AuditEvent
from humaine.tests.contracts import audit_action_contract

ROOT = Path(humaine.__file__).parent
rename_migration = importlib.import_module("humaine.core.migrations.0007_audit_action_names")


def test_every_registered_action_keeps_the_contract():
    assert len(audit.ACTIONS) > 0
    for action in audit.ACTIONS:
        audit_action_contract(action)


def test_an_action_not_named_object_dot_past_verb_is_refused():
    for name in ("inquiry.submit", "Inquiry.submitted", "submitted", "inquiry.", "a.b.c"):
        with pytest.raises(ValueError, match="<object>.<past verb>"):
            audit.Action(name, "x")
    assert audit.Action("api_token.revoked", "x").name == "api_token.revoked"


# ------------------------------------------------------------------ every name in the code


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT.parent).with_suffix("").parts).removesuffix(".__init__")


class _Module:
    """One source module: its functions (with parameters), its imports, its code."""

    def __init__(self, path: Path):
        self.path = path
        self.name = _module_name(path)
        self.tree = ast.parse(path.read_text(encoding="utf-8"))
        self.package = self.name if path.name == "__init__.py" else self.name.rpartition(".")[0]
        self.imports: dict[str, str] = {}  # local name -> dotted name it stands for
        for node in ast.walk(self.tree):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = self.package.split(".")
                    parts = parts[: len(parts) - node.level + 1]
                    base = ".".join([*parts, base] if base else parts)
                for alias in node.names:
                    self.imports[alias.asname or alias.name] = f"{base}.{alias.name}"
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    self.imports[alias.asname or alias.name] = alias.name

    def target(self, func: ast.expr) -> str | None:
        """The dotted name a call's function stands for (``module.function``)."""
        if isinstance(func, ast.Name):
            return self.imports.get(func.id, f"{self.name}.{func.id}")
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            module = self.imports.get(func.value.id)
            return f"{module}.{func.attr}" if module else None
        return None


def _functions(module: _Module):
    """(function node, its calls, its assignments by name) for every function of a module."""
    for node in ast.walk(module.tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            assigned: dict[str, list[ast.expr]] = {}
            for inner in ast.walk(node):
                if isinstance(inner, ast.Assign):
                    for name in inner.targets:
                        if isinstance(name, ast.Name):
                            assigned.setdefault(name.id, []).append(inner.value)
            calls = [inner for inner in ast.walk(node) if isinstance(inner, ast.Call)]
            yield node, calls, assigned


def _argument(call: ast.Call, position: int, keyword: str) -> ast.expr | None:
    for item in call.keywords:
        if item.arg == keyword:
            return item.value
    return call.args[position] if len(call.args) > position else None


def recorded_actions() -> list[tuple[str, str]]:
    """Every action the hub's code can pass to ``audit.record``, with where it is written.

    A name may be a literal, a conditional between literals, a variable assigned one of
    those, or a parameter of a function whose callers pass one of those (a wrapper such
    as the scenarios' ``log``); anything else is reported as ``"<unresolved>"``.
    """
    modules = [
        _Module(path)
        for path in sorted(ROOT.rglob("*.py"))
        if "tests" not in path.parts and "migrations" not in path.parts
    ]
    functions = {}  # dotted name -> (module, node, calls, assigned)
    for module in modules:
        for node, calls, assigned in _functions(module):
            functions[f"{module.name}.{node.name}"] = (module, node, calls, assigned)
    callers: dict[str, list[tuple[_Module, ast.Call, dict]]] = {}
    for module, _node, calls, assigned in functions.values():
        for call in calls:
            target = module.target(call.func)
            if target:
                callers.setdefault(target, []).append((module, call, assigned))

    found: list[tuple[str, str]] = []

    def resolve(expr, module, assigned, function_name, depth=0):
        where = f"{module.path.relative_to(ROOT.parent)}:{getattr(expr, 'lineno', '?')}"
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            found.append((expr.value, where))
        elif isinstance(expr, ast.IfExp):
            resolve(expr.body, module, assigned, function_name, depth)
            resolve(expr.orelse, module, assigned, function_name, depth)
        elif isinstance(expr, ast.Name) and expr.id in assigned:
            for value in assigned[expr.id]:
                resolve(value, module, assigned, function_name, depth)
        elif isinstance(expr, ast.Name) and depth < 3 and function_name in functions:
            _module, node, _calls, _assigned = functions[function_name]
            params = [a.arg for a in (*node.args.posonlyargs, *node.args.args)]
            keyword_only = [a.arg for a in node.args.kwonlyargs]
            if expr.id not in params + keyword_only:
                found.append(("<unresolved>", where))
                return
            position = params.index(expr.id) if expr.id in params else 10**6
            passed = callers.get(function_name, [])
            if not passed:
                found.append(("<unresolved>", where))
            for caller, call, caller_assigned in passed:
                value = _argument(call, position, expr.id)
                caller_function = next(
                    (
                        name
                        for name, (m, n, c, _a) in functions.items()
                        if m is caller and call in c and n.name != "<lambda>"
                    ),
                    "",
                )
                if value is not None:
                    resolve(value, caller, caller_assigned, caller_function, depth + 1)
        else:
            found.append(("<unresolved>", where))

    for target in ("humaine.core.audit.record",):
        for module, call, assigned in callers.get(target, []):
            function_name = next(
                name for name, (m, n, c, _a) in functions.items() if m is module and call in c
            )
            action = _argument(call, 1, "action")
            resolve(action, module, assigned, function_name)
    return found


def test_every_action_the_code_records_is_registered():
    found = recorded_actions()
    names = {name for name, _where in found}
    # The walk sees the services of every app, and through the scenarios' wrapper.
    assert {"inquiry.submitted", "api_token.revoked", "scenario.phase_changed"} <= names
    assert {"expert.assigned", "expert.released"} <= names
    unknown = sorted((where, name) for name, where in found if name not in audit.ACTIONS)
    assert unknown == []
    # And the list holds nothing the code no longer records.
    assert set(audit.ACTIONS.keys()) - names == set()


@pytest.mark.django_db
def test_record_refuses_an_action_nobody_registered(cast):
    before = AuditEvent.objects.count()
    with pytest.raises(audit.UnknownAction, match="inquiry.looked_at"):
        audit.record(cast.staff, "inquiry.looked_at", cast.acme_inquiry)
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_stored_events_take_the_new_names_and_can_go_back(cast):
    inquiry = cast.acme_inquiry
    old = {
        name: AuditEvent.objects.create(
            actor_label="x", action=name, object_type="contact.inquiry", object_id=inquiry.pk
        )
        for name in rename_migration.RENAMED
    }
    kept = AuditEvent.objects.create(
        actor_label="x", action="inquiry.submitted", object_type="contact.inquiry", object_id="1"
    )
    rename_migration.forwards(django_apps, None)
    for name, event in old.items():
        event.refresh_from_db()
        assert event.action == rename_migration.RENAMED[name]
        assert event.action in audit.ACTIONS
    kept.refresh_from_db()
    assert kept.action == "inquiry.submitted"
    rename_migration.backwards(django_apps, None)
    assert {e.action for e in AuditEvent.objects.filter(pk__in=[e.pk for e in old.values()])} == (
        set(rename_migration.RENAMED)
    )


@pytest.mark.django_db
def test_the_trail_on_a_page_reads_as_words_in_the_readers_language(cast, client):
    change_status(cast.acme_inquiry, Inquiry.Status.TRIAGE, actor=cast.staff)
    client.force_login(cast.staff)
    german = client.get(cast.acme_inquiry.get_absolute_url()).content.decode()
    assert "Status geändert" in german
    assert ">inquiry.status_changed<" not in german
    with translation.override("en"):
        english_page = cast.acme_inquiry.get_absolute_url()
    assert english_page.startswith("/en/")
    english = client.get(english_page).content.decode()
    assert "Status changed" in english


def test_an_action_no_longer_known_shows_its_name():
    assert audit.label_of("inquiry.archived_long_ago") == "inquiry.archived_long_ago"
