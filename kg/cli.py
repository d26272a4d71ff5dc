"""The `untoc-kg` command: each command parses its options, calls one function of `kg`, prints.

Errors the user can act on become one line and an exit code (1: it did not work; 2: the command
or query was malformed), never a traceback.
"""

from __future__ import annotations

import errno
import sys
from functools import wraps

import click
import pyoxigraph as ox

from .canon import CanonicalizationError
from .sparql import QueryError, QueryRefused, QuerySyntaxError
from .store import STORE_ENV, StoreError
from .terminal import shown

FORMAT_CHOICE = click.Choice(["table", "json", "csv", "tsv", "md"])


def store_option(command):
    return click.option("--store", "store", metavar="DIR", default=None,
                        help=f"The store directory [default: ${STORE_ENV}, else ./untoc-kg-store].")(command)


def format_option(command):
    return click.option("--format", "fmt", type=FORMAT_CHOICE, default="table", show_default=True,
                        help="Output format: json, csv and tsv are the W3C SPARQL result formats.")(command)


def param_option(command):
    return click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
                        help="A value for a query parameter (repeatable).")(command)


def user_errors(command):
    """Turn the errors a user can fix into messages and exit codes."""

    @wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (QuerySyntaxError, QueryRefused) as exc:  # one line saying what to fix, exit 2
            click.echo(f"Error: {exc}", err=True)
            sys.exit(2)
        except QueryError as exc:
            raise click.UsageError(str(exc)) from exc
        except StoreError as exc:
            if "No space left on device" in str(exc):
                click.echo(f"Error: {shown(f'no space left on device while writing the store ({exc})')}", err=True)
                sys.exit(1)
            raise click.ClickException(shown(exc)) from exc
        except CanonicalizationError as exc:  # a graph whose blank nodes RDFC-1.0 cannot order in time
            raise click.ClickException(str(exc)) from exc
        except OSError as exc:  # a full disk: one line, never a traceback
            if exc.errno not in (errno.ENOSPC, errno.EDQUOT) and "No space left on device" not in str(exc):
                raise
            if str(exc).startswith("no space left"):  # our own message (kg.safe_write) names the file
                text = str(exc)
            elif exc.filename:
                text = f"no space left on device while writing {exc.filename}"
            else:  # RocksDB's message names its own file
                text = f"no space left on device while writing the store ({exc})"
            click.echo(f"Error: {shown(text)}", err=True)
            sys.exit(1)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="untoc-kg", message="%(prog)s %(version)s")
def main():
    """A knowledge graph of UN documents about the Convention against Transnational Organized Crime.

    Example:

        untoc-kg build && untoc-kg lineage "Working Group on Trafficking in Persons"
    """


class _Bar:
    """A progress bar on stderr, drawn only when stderr is a terminal."""

    def __init__(self):
        self.bar = None

    def __call__(self, done: int, total: int, name: str) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="building", file=sys.stderr,
                                         item_show_func=lambda item: item)
            self.bar.__enter__()
        self.bar.update(1, current_item=shown(name))

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@main.command()
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option("--rebuild", is_flag=True, help="Read every document again, changed or not.")
@click.option("--dask", "dask", default=None, metavar="ADDRESS",
              help="Read and extract on a Dask cluster: a scheduler's address (tcp://HOST:8786), or local:N "
                   "for N worker processes here. The store is written here, as without it.")
@store_option
@user_errors
def build(paths, rebuild, dask, store):
    """Read documents (files, or folders of .txt .pdf .docx .html) into the store.

    With no PATH, reads ./corpus (or the corpus installed with the package). Unchanged documents
    are skipped by content hash; a changed one has its graph replaced in one transaction. A
    document that cannot be read is reported with the reason and skipped; the exit code is 1 only
    when nothing could be built.

    Example:

        untoc-kg build corpus/ --store ./untoc-kg-store
    """
    from .build import BuildStopped
    from .build import build as run_build

    bar = _Bar() if sys.stderr.isatty() else None
    try:
        report = run_build(list(paths), store, rebuild=rebuild, progress=bar, dask=dask)
    except BuildStopped as stopped:  # a full disk: one line, and exactly what was replaced
        for failure in stopped.report.failed:
            click.echo(shown(f"failed: {failure.path}: {failure.reason} [{failure.stage}]"), err=True)
        written = stopped.report.written
        click.echo(f"Error: {shown(stopped)}", err=True)
        click.echo(shown(f"written whole before the stop: {len(written)} document{'s' if len(written) != 1 else ''}"
                         + (f" ({', '.join(written)})" if written else "")
                         + "; every other document keeps what the store held before"), err=True)
        sys.exit(1)
    finally:
        if bar:
            bar.close()
    # every name escaped (kg.terminal): a newline in a file name must not forge a line of this report
    for failure in report.failed:
        click.echo(shown(f"failed: {failure.path}: {failure.reason} [{failure.stage}]"), err=True)
    for dup in report.duplicates:
        click.echo(shown(f"read twice: {dup.path} is the same document as {dup.first} ({dup.graph}); "
                         f"the store keeps {dup.first}'s reading"), err=True)
    for name in report.removed:
        click.echo(shown(f"removed: {name} (no longer in its folder)"), err=True)
    for link in report.links:
        click.echo(shown(f"skipped link: {link} (only regular files inside the folders named are read)"), err=True)
    click.echo(shown(report.summary()))
    if report.nothing_built:
        click.echo("Error: nothing could be built", err=True)
        sys.exit(1)


@main.command()
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["text", "table", "json", "csv", "tsv", "md"]),
              default="text", show_default=True, help="text for reading; the others give the query's rows.")
@click.option("--all", "everything", is_flag=True,
              help="Also what acts asked of the body (requests, meetings, agenda items) and what it delivered.")
@click.option("--lang", default=None, metavar="LANG",
              help="Show documents' titles in this language (fr, es, ru, ar, zh) where the graph has them.")
@click.option("--max-evidence", "max_evidence", type=click.IntRange(min=0), default=5, show_default=True,
              metavar="N", help="At most N paragraphs per step in the text output (0: all of them).")
@store_option
@user_errors
def lineage(name, fmt, everything, lang, max_evidence, store):
    """The mandate lineage of a body: the acts that established, continued or changed it.

    NAME is a body's name (any of its labels, case aside), its slug or its IRI. Each step shows
    its date, act, adopting body and meeting, and the paragraphs and documents that say so. With
    --all, also the requests acts made of it and the reports it made pursuant to them, each with
    what was asked and by when.

    Example:

        untoc-kg lineage "Working Group on Trafficking in Persons"

        untoc-kg lineage un-secretary-general --all

        untoc-kg lineage wg-tip --format json

        untoc-kg lineage ahc-cybercrime --lang fr
    """
    from .lineage import NameNotResolved
    from .lineage import lineage as run_lineage
    from .output import render, render_lineage_text

    try:
        result = run_lineage(name, store, everything=everything, lang=lang)
    except NameNotResolved as exc:
        click.echo(str(exc), err=True)
        for iri, label in exc.candidates:
            click.echo(f"  {label}  <{iri}>", err=True)
        sys.exit(1)
    text = render_lineage_text(result, max_evidence=max_evidence or None) if fmt == "text" else None
    click.echo(text if text is not None else render(result.table, fmt), nl=False)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json", "md"]), default="table",
              show_default=True)
@store_option
@user_errors
def stats(fmt, store):
    """Counts: instances per class, triples per named graph, unresolved mentions.

    Example:

        untoc-kg stats --format json
    """
    from .output import render_stats
    from .stats import stats as run_stats

    click.echo(render_stats(run_stats(store), fmt), nl=False)


@main.command()
@user_errors
def queries():
    """List the canned queries, with their parameters and an example.

    Example:

        untoc-kg queries
    """
    from .sparql import list_queries

    for canned in list_queries():
        click.echo(f"{canned.name}: {canned.title}")
        if canned.description:
            click.echo(f"    {canned.description}")
        for p in canned.params:
            click.echo(f"    --param {p.name}=…  ({p.type}{', optional' if p.optional else ''}) {p.meaning}")
        for example in canned.examples:
            click.echo(f"    example: untoc-kg query {canned.name} {example}".rstrip())
        click.echo("")


@main.command()
@click.argument("name")
@param_option
@format_option
@store_option
@user_errors
def query(name, params, fmt, store):
    """Run a canned query (see `untoc-kg queries`) with its parameters.

    Example:

        untoc-kg query lineage --param body=id:body/wg-tip --format csv
    """
    from .output import render
    from .sparql import bind, load_query, nothing_named, parse_param_options, resolve_names, run
    from .store import resolve

    opened = resolve(store)
    canned = load_query(name)
    substitutions = bind(canned, resolve_names(opened, canned, parse_param_options(params)))
    _warn_nothing_named(opened, substitutions)
    click.echo(render(run(opened, canned.text, substitutions), fmt), nl=False)


def _warn_nothing_named(store, substitutions) -> None:
    """A parameter naming an IRI the graph does not hold gives no rows: say so, on stderr."""
    from .output import short
    from .sparql import nothing_named

    for name, iri in nothing_named(store, substitutions):
        click.echo(f"warning: --param {name}: {short(ox.NamedNode(iri))} names nothing in the graph", err=True)


@main.command()
@click.argument("text", required=False, metavar="['QUERY']")
@click.option("-f", "--file", "file", type=click.Path(exists=True, dir_okay=False),
              help="Read the query from a .rq file.")
@param_option
@format_option
@click.option("--allow-service", is_flag=True, default=False,
              help="Let the query use SERVICE (it then connects to the hosts it names); refused otherwise.")
@store_option
@user_errors
def sparql(text, file, params, fmt, allow_service, store):
    """Run any SPARQL query over the store (the default graph is the union of all graphs).

    The usual prefixes (ukg:, id:, rdf:, rdfs:, skos:, dcterms:, prov:, org:, xsd: ...) are known.
    The query passes the endpoint's guard: SERVICE (unless --allow-service), LOAD, updates and
    nesting deeper than 100 levels are refused (exit 2).

    Example:

        untoc-kg sparql 'SELECT ?act ?n WHERE { ?act ukg:actNumber ?n } ORDER BY ?n'

        untoc-kg sparql -f my-query.rq --param body=id:body/wg-tip
    """
    from pathlib import Path

    from .output import render
    from .sparql import parse_param_options
    from .sparql import sparql as run_sparql

    if (text is None) == (file is None):
        raise click.UsageError("give a query, or -f FILE, not both")
    if file is not None:
        text = Path(file).read_text(encoding="utf-8")
    from .sparql import bind, parse_query
    from .store import resolve

    opened = resolve(store)
    values = parse_param_options(params)
    _warn_nothing_named(opened, bind(parse_query(text, "query"), values))
    click.echo(render(run_sparql(opened, text, values, allow_service=allow_service), fmt), nl=False)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["nq", "nt", "trig", "ttl", "jsonld"]), default="nq",
              show_default=True, help="nq, trig, jsonld keep the named graphs; nt, ttl merge them.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="The file to write [default: standard output].")
@store_option
@user_errors
def export(fmt, output, store):
    """Write the whole graph as a file; the same corpus always gives the same bytes.

    Example:

        untoc-kg export --format ttl -o untoc-kg.ttl
    """
    from .export import export as run_export

    data = run_export(store, fmt, output)
    if data is not None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


@main.command()
@store_option
@user_errors
def validate(store):
    """Check the store against the SHACL shapes of the ontology.

    Exit code 0: the graph conforms; 1: it does not (the report says which node breaks which shape).

    Example:

        untoc-kg validate --store ./untoc-kg-store
    """
    from .export import rdflib_graph
    from .validate import validate as run_validate

    report = run_validate(rdflib_graph(store))
    click.echo(report.text())
    sys.exit(0 if report.conforms else 1)


@main.command("ontology-docs")
@click.option("-o", "--output", required=True, metavar="DIR", type=click.Path(file_okay=False, writable=True),
              help="The folder to write index.html and untoc.ttl into (made if missing).")
def ontology_docs(output):
    """Write the ontology's documentation: DIR/index.html and a copy of untoc.ttl beside it.

    The page lists every class, property and individual of ontology/untoc.ttl with its label,
    comment, domain, range and superclasses; it stands alone (no server, no network) and the same
    ontology always gives the same bytes. It reads only the ontology, not a store.

    Example:

        untoc-kg ontology-docs -o site/ontology
    """
    from .docs import ontology_docs as run_ontology_docs

    for path in run_ontology_docs(output):
        click.echo(f"wrote {shown(path)}")


@main.command("void")
@click.option("--base", default="http://127.0.0.1:8000", show_default=True, metavar="URL",
              help="Where the graph is served: the endpoint is BASE/sparql, the dumps BASE/dumps/.")
@click.option("--format", "fmt", type=click.Choice(["ttl", "nt"]), default="ttl", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="The file to write [default: standard output].")
@store_option
@user_errors
def void(base, fmt, output, store):
    """Write the VoID description of the store: counts, named graphs, vocabularies, dumps, endpoint.

    The same description `untoc-kg serve` gives at /.well-known/void, with the entity and class
    counts of the dataset and of each named graph.

    Example:

        untoc-kg void --base https://untoc-kg.example.org -o void.ttl
    """
    from .docs import void_bytes

    data = void_bytes(store, base, fmt)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        from .safe_write import write_atomic

        write_atomic(output, data)


# Commands that live with their feature: pictures (kg.viz) and the endpoint (kg.server).
from .push_cli import register as _register_push  # noqa: E402
from .server.cli import register as _register_server  # noqa: E402
from .viz.cli import register as _register_viz  # noqa: E402

_register_viz(main)
_register_server(main)
_register_push(main)


if __name__ == "__main__":  # pragma: no cover
    main()
