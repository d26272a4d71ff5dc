"""`untoc-kg viz`, `metrics` and `export-graph`: thin wrappers over `kg.viz`, added by `register(group)`.

Only click is imported here; networkx, numpy and scipy load when a command runs, so the rest of
the CLI starts as fast as before.
"""

from __future__ import annotations

from functools import wraps

import textwrap

import click

from ..store import STORE_ENV
from ..terminal import shown

KIND_CHOICE = click.Choice(["landscape", "lineage", "participation", "citations"])


def _projection_options(command):
    options = [
        click.option("--store", "store", metavar="DIR", default=None,
                     help=f"The store directory [default: ${STORE_ENV}, else ./untoc-kg-store]."),
        click.option("--to", "date_to", type=int, metavar="YEAR", default=None,
                     help="Leave out facts dated after YEAR (undated facts stay)."),
        click.option("--from", "date_from", type=int, metavar="YEAR", default=None,
                     help="Leave out facts dated before YEAR (undated facts stay)."),
        click.option("--kinds", "kinds", multiple=True, metavar="KIND[,KIND]",
                     help="Only these kinds of edge (repeatable or comma-separated); "
                          "an unknown kind lists the known ones."),
        click.option("--depth", type=click.IntRange(min=0), default=1, show_default=True,
                     help="With --focus: how many links away from it to show."),
        click.option("--focus", metavar="NAME", default=None,
                     help="Show only this node (a name, acronym, slug or IRI) and its neighbourhood."),
    ]
    for option in options:
        command = option(command)
    return command


def _kinds(values: tuple[str, ...]) -> list[str] | None:
    kinds = [k.strip() for value in values for k in value.split(",") if k.strip()]
    return kinds or None


def _user_errors(command):
    """The errors a user can fix become one line: exit 2 for a bad option, 1 for a missing store."""

    @wraps(command)
    def wrapper(*args, **kwargs):
        from ..sparql import QueryError
        from ..store import StoreError
        from .projections import VizError

        try:
            return command(*args, **kwargs)
        except (VizError, QueryError) as exc:
            raise click.UsageError(str(exc)) from exc
        except StoreError as exc:
            raise click.ClickException(str(exc)) from exc
        except OSError as exc:
            raise click.ClickException(f"{getattr(exc, 'filename', '') or ''}: {exc.strerror or exc}") from exc

    return wrapper


def _project(kind, store, focus, depth, kinds, date_from, date_to):
    from .projections import project

    return project(kind, store, focus=focus, depth=depth, kinds=_kinds(kinds), date_from=date_from,
                   date_to=date_to)


@click.command("viz")
@click.argument("kind", type=KIND_CHOICE)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True,
              help="The HTML file to write (one file: scripts and styles inside, no network needed).")
@click.option("--title", default=None, help="A title for the page instead of the picture's own.")
@_projection_options
@_user_errors
def viz(kind, output, title, focus, depth, kinds, date_from, date_to, store):
    """Draw a network picture as an HTML page that opens offline in any browser.

    KIND is landscape (who works with whom), lineage (acts, sessions and bodies on a time axis),
    participation (who attended which meeting, by capacity) or citations (what documents cite).
    The page has a legend, a search box, a menu to show one part, and the evidence for every edge.

    Example:

        untoc-kg viz landscape -o landscape.html

        untoc-kg viz landscape -o unodc.html --focus UNODC --depth 1 --kinds agreement,joint-programme

        untoc-kg viz participation -o wg-tip-2013.html --from 2013 --to 2013
    """
    from .page import PageError, write_page

    graph = _project(kind, store, focus, depth, kinds, date_from, date_to)
    try:
        path = write_page(graph, output, title=title)
    except PageError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"wrote {shown(path)}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges")


@click.command("metrics")
@click.argument("kind", type=KIND_CHOICE)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True,
              help="json and csv are the W3C SPARQL result formats, like `untoc-kg query`.")
@click.option("--top", type=click.IntRange(min=1), default=None, help="Only the first N nodes.")
@_projection_options
@_user_errors
def metrics(kind, fmt, top, focus, depth, kinds, date_from, date_to, store):
    """Degree and betweenness centrality and communities of a picture's nodes, strongest first.

    strength weighs each tie 1, except a co-observer tie (two observers at the same meeting),
    which counts less; the table format ends with a note that gives the weights.

    Example:

        untoc-kg metrics landscape

        untoc-kg metrics citations --format csv > citations-metrics.csv
    """
    from ..output import render
    from .metrics import metrics_table

    table = metrics_table(_project(kind, store, focus, depth, kinds, date_from, date_to))
    if top is not None:
        table.rows = table.rows[:top]
    click.echo(render(table, fmt), nl=False)
    if fmt == "table":
        from .metrics import weights_note

        click.echo("\n" + textwrap.fill(weights_note(), width=100))


@click.command("export-graph")
@click.argument("kind", type=KIND_CHOICE)
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf"]), required=True,
              help="graphml for most tools; gexf for Gephi (with the page's colours and positions).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True,
              help="The file to write.")
@_projection_options
@_user_errors
def export_graph(kind, fmt, output, focus, depth, kinds, date_from, date_to, store):
    """Write a picture's graph as GraphML or GEXF, with its metrics on every node.

    Example:

        untoc-kg export-graph landscape --format gexf -o landscape.gexf
    """
    from .metrics import export_graph as run_export

    graph = _project(kind, store, focus, depth, kinds, date_from, date_to)
    path = run_export(graph, output, fmt)
    click.echo(f"wrote {shown(path)}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges")


COMMANDS = (viz, metrics, export_graph)


def register(group: click.Group) -> None:
    """Add `viz`, `metrics` and `export-graph` to the `untoc-kg` group."""
    for command in COMMANDS:
        group.add_command(command)


__all__ = ["COMMANDS", "export_graph", "metrics", "register", "viz"]
