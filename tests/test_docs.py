"""The README documents every command (as datasette's test_docs does)."""

from pathlib import Path

import typer

from accord.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def commands(typer_app, prefix=""):
    click = typer.main.get_command(typer_app)
    for name, cmd in click.commands.items():
        if hasattr(cmd, "commands"):
            for sub in cmd.commands:
                yield f"{prefix}{name} {sub}"
        else:
            yield f"{prefix}{name}"


def test_every_command_is_documented():
    missing = [c for c in commands(app) if f"accord {c}" not in README]
    assert not missing, f"undocumented commands: {missing}"


def test_readme_opens_with_the_two_commands():
    first_screen = "\n".join(README.splitlines()[:40])
    assert "make demo" in first_screen and "make test" in first_screen


def test_every_export_column_is_documented():
    from accord import export
    for table in export.TABLES:
        section = README[README.index(f"### {table}"):]
        missing = [name for name, _ in export.columns(table) if f"| `{name}` |" not in section]
        assert not missing, f"undocumented {table} columns: {missing}"


def test_every_option_of_ingest_and_extract_is_documented():
    click = typer.main.get_command(app)
    for name in ("ingest", "extract"):
        for param in click.commands[name].params:
            for option in getattr(param, "opts", []):
                if option.startswith("--") and option != "--help":
                    assert option in README, f"accord {name} {option} is not in the README"
