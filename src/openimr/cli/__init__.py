"""`openimr` command line: a thin layer over the core.

Each capability registers its own commands from a module of this package; heavy
libraries are imported inside the commands so that `openimr --help` stays fast.
"""

from __future__ import annotations

import json

import typer

from openimr.cli import db, facts, letter, review, workflow

app = typer.Typer(
    name="openimr",
    help="OpenIMR: California workers' compensation Independent Medical Review.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
schema_app = typer.Typer(help="Print the JSON Schema of a record type.", no_args_is_help=True)
app.add_typer(schema_app, name="schema")


@schema_app.command("determination")
def schema_determination() -> None:
    """JSON Schema of the Determination record."""
    from openimr.model.determination import determination_json_schema

    typer.echo(json.dumps(determination_json_schema(), indent=2))


for _module in (letter, facts, review, workflow, db):
    _module.register(app)


def main() -> None:
    app()
