"""`untoc-kg push`: parse the options, call `kg.push.push`, print its one-line summary."""

from __future__ import annotations

import sys

import click

from .store import STORE_ENV, StoreError


@click.command("push")
@click.option("--to", "to", required=True, metavar="URL",
              help="The target's SPARQL 1.1 Graph Store HTTP Protocol endpoint (Oxigraph: http://HOST:7878/store; "
                   "Virtuoso: http://HOST:8890/sparql-graph-crud-auth).")
@click.option("--user", default=None, metavar="NAME", help="User name, where the server asks for one.")
@click.option("--password-file", default=None, metavar="FILE", type=click.Path(exists=True, dir_okay=False),
              help="A file whose first line is the password (never on the command line).")
@click.option("--update", "update_url", default=None, metavar="URL",
              help="The server's SPARQL Update endpoint, used to replace a graph in one transaction "
                   "[default: found from the server's kind; none for an unknown server: PUT in place].")
@click.option("--record", default=None, metavar="FILE",
              help="The record of what was pushed to this target [default: beside the store, "
                   ".STORE.push/, one file per target].")
@click.option("--virtuoso-isql", default=None, metavar="HOST:PORT",
              help="Virtuoso only: send the graphs it does not hold yet by its own bulk loader, driven through "
                   "isql at this address (as --user), reading files written into --virtuoso-dir.")
@click.option("--virtuoso-dir", default=None, metavar="DIR", type=click.Path(file_okay=False),
              help="A folder both this machine and the Virtuoso server read (listed in its DirsAllowed).")
@click.option("--no-bulk", is_flag=True, help="Send every graph by the protocol, even where the server has a bulk route.")
@click.option("--dry-run", is_flag=True, help="Say what would be sent and deleted; send nothing.")
@click.option("--store", "store", metavar="DIR", default=None,
              help=f"The store directory, opened read-only [default: ${STORE_ENV}, else ./untoc-kg-store].")
def push(to, user, password_file, update_url, record, virtuoso_isql, virtuoso_dir, no_bulk, dry_run, store):
    """Publish the store to a SPARQL store: changed graphs are sent, vanished ones deleted.

    One named graph per document, the reference, ontology and union graphs (query the union as the
    default graph: `default-graph-uri`). Only graphs whose content changed since the last push to
    this target are sent; each is replaced at once (a staging graph, then MOVE; on Oxigraph's server,
    whose PUT is one transaction, a PUT), so a push that stops halfway leaves every graph old or new,
    and the next push completes the rest. Oxigraph's server gets new graphs by its faster route
    (N-Quads to /store, one transaction a batch); the summary says which route each graph took.
    See docs/scale.md.

    Example:

    \b
        untoc-kg push --to http://127.0.0.1:7878/store
        untoc-kg push --to http://sparql.example.org/sparql-graph-crud-auth --user dba --password-file pw
    """
    from .push import PushError
    from .push import push as run_push
    from .upstream import read_password

    if password_file and not user:
        raise click.UsageError("--password-file needs --user")
    if bool(virtuoso_isql) != bool(virtuoso_dir) or (virtuoso_isql and not user):
        raise click.UsageError("--virtuoso-isql needs --virtuoso-dir and --user (and the other way round)")
    password = read_password(password_file)
    loader = None
    if virtuoso_isql:
        from pathlib import Path

        from .virtuoso_bulk import VirtuosoLoader

        loader = VirtuosoLoader(virtuoso_isql, user, password or "", Path(virtuoso_dir))
    try:
        report = run_push(to, store, user=user, password=password, dry_run=dry_run,
                          record=record, update_url=update_url, bulk=not no_bulk, loader=loader)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    except PushError as exc:
        if exc.report is not None:
            click.echo(exc.report.summary())
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    click.echo(report.summary())


def register(group: click.Group) -> None:
    """Add `push` to the `untoc-kg` command group."""
    group.add_command(push)


__all__ = ["push", "register"]
