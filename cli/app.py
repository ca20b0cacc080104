"""The ``policytext`` command: a Typer app that composes one sub-app per command module.

Only typer is imported at start-up; rich, jieba and scikit-learn are imported inside the
commands that need them, so ``policytext --help`` stays fast.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from typing import Annotated

import typer

from . import commands

app = typer.Typer(
    name="policytext",
    help="A command-line workbench for Chinese policy documents: clean and segment text, split "
    "newspaper pages into articles, extract keywords, themes, slogans and figures.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Example: policytext articles seeds/ --format json | jq '.documents[].articles[].title'",
)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("policytext")
    except PackageNotFoundError:  # running from a source tree
        return "0+unknown"


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"policytext {_version()}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", "-V", help="Show the version and exit.", callback=_print_version,
                     is_eager=True),
    ] = False,
) -> None:
    """A command-line workbench for Chinese policy documents."""


def _register() -> None:
    names = {m.name for m in pkgutil.iter_modules(commands.__path__)}
    ordered = [n for n in commands.ORDER if n in names] + sorted(names - set(commands.ORDER))
    for name in ordered:
        module = importlib.import_module(f"{commands.__name__}.{name}")
        app.add_typer(module.app)


_register()


def _utf8_streams() -> None:
    """UTF-8 out whatever the locale (LC_ALL=C included); never die on an unencodable char."""
    for stream, errors in ((sys.stdout, "strict"), (sys.stderr, "backslashreplace")):
        try:
            if (stream.encoding or "").lower().replace("-", "") != "utf8":
                stream.reconfigure(encoding="utf-8", errors=errors)
        except (AttributeError, ValueError):
            pass


def main() -> None:
    _utf8_streams()
    try:
        app(prog_name="policytext")
    except BrokenPipeError:  # pragma: no cover - depends on the reader
        from .common import EXIT_PIPE, _silence_stdout

        _silence_stdout()
        sys.exit(EXIT_PIPE)
    except KeyboardInterrupt:  # pragma: no cover
        sys.stderr.write("policytext: interrupted\n")
        sys.exit(130)
