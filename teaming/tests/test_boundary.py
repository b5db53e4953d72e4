"""teaming is a plain library: importing any of its modules never imports Django."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import teaming


def test_no_teaming_module_imports_django():
    modules = [
        m.name
        for m in pkgutil.walk_packages(teaming.__path__, "teaming.")
        if ".tests" not in m.name
    ]
    assert "teaming.router.batch" in modules and "teaming.cli" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "assert 'django' not in sys.modules, sorted(m for m in sys.modules if 'django' in m)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
