"""The ``humaine`` command: run and administer the hub (a thin wrapper around manage.py).

humaine run [ADDRESS]       migrate, then serve (development server) with a job worker
humaine migrate             create or update the database
humaine demo                load demo data into an empty hub and print the demo accounts
humaine createadmin         create a hub admin account (asks for a password)
humaine worker              run the background job worker
humaine <command> ...       any other manage.py command
"""

import os
import socket
import subprocess
import sys

DEFAULT_ADDRESS = "127.0.0.1:8000"


def _django(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "humaine.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["humaine", *argv])


def site_url_for(address: str) -> str:
    """The address people open for a server on ``address`` (runserver's form).

    >>> site_url_for("8080"), site_url_for("127.0.0.1:9000"), site_url_for("[::1]:8000")
    ('http://127.0.0.1:8080', 'http://127.0.0.1:9000', 'http://[::1]:8000')
    """
    host, _, port = address.rpartition(":")
    if not host:
        host = "127.0.0.1"
    elif host in ("0.0.0.0", "[::]", "0"):  # noqa: S104 - not binding, naming
        # served on every interface: others reach it by the machine's name
        host = socket.getfqdn()
    return f"http://{host}:{port}"


def run(args: list[str]) -> int:
    """Migrate, start a job worker in the background, and serve until interrupted.

    Links in emails and exports point to the address served on, unless ``SITE_URL`` says
    otherwise (e.g. a proxy in front).
    """
    address = next((arg for arg in args if not arg.startswith("-")), DEFAULT_ADDRESS)
    if not args or args[0].startswith("-"):
        args = [DEFAULT_ADDRESS, *args]
    os.environ.setdefault("SITE_URL", site_url_for(address))
    # The development server's autoreloader runs this command again in a child process
    # (with RUN_MAIN set); only the outer process migrates and starts the worker.
    if os.environ.get("RUN_MAIN") == "true":
        _django(["runserver", *args])
        return 0
    _django(["migrate", "--verbosity", "0"])
    worker = subprocess.Popen([sys.executable, "-m", "humaine.cli", "worker"])
    try:
        _django(["runserver", *args])
    finally:
        worker.terminate()
        worker.wait(timeout=10)
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(__doc__)
        return 0
    command, rest = argv[0], argv[1:]
    if command == "run":
        return run(rest)
    aliases = {
        "demo": ["load_demo_data", "--if-empty"],
        "createadmin": ["create_hub_admin"],
        "worker": ["run_worker"],
    }
    _django([*aliases.get(command, [command]), *rest])
    return 0


if __name__ == "__main__":
    sys.exit(main())
