import subprocess
import sys

MODULES = [
    "config",
    "encoders",
    "lexical",
    "lexicon",
    "pipeline",
    "ranking",
    "taxonomy",
    "teams",
    "text",
]


def test_matching_modules_do_not_import_django():
    imports = "; ".join(f"import humaine.matching.{m}" for m in MODULES)
    code = f"import sys; {imports}; print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
