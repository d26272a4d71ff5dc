"""`untoc-kg serve`: parse the options, check the store, run the app on uvicorn.

`register(group)` adds the command to the `untoc-kg` group; `python -m kg.server.cli` runs it alone
(the tests and the benchmark start the server that way, as its own process).
"""

from __future__ import annotations

import click

from ..store import STORE_ENV


def _positive(kind):
    return click.IntRange(min=1) if kind is int else click.FloatRange(min=0.1)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 for every interface; put a reverse proxy in front).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--store", "store", metavar="DIR", default=None,
              help=f"The store directory, opened read-only [default: ${STORE_ENV}, else ./untoc-kg-store].")
@click.option("--timeout", default=10.0, show_default=True, type=_positive(float), metavar="SECONDS",
              help="Longest a query may run; then its worker is killed and the client gets HTTP 503.")
@click.option("--max-results", default=10_000, show_default=True, type=_positive(int), metavar="N",
              help="Rows (or triples) in one answer; more are cut, with the header X-SPARQL-Truncated.")
@click.option("--workers", default=None, type=_positive(int), metavar="N",
              help="Query worker processes, each with the store open read-only [default: CPUs, at least 2].")
@click.option("--per-client", default=4, show_default=True, type=_positive(int), metavar="N",
              help="Queries one client address may run at once; the next gets HTTP 429 with Retry-After.")
@click.option("--max-depth", default=100, show_default=True, type=_positive(int), metavar="N",
              help="Deepest nesting of { } ( ) [ ] a query may have (HTTP 400 beyond).")
@click.option("--max-body", default=64 * 1024, show_default=True, type=_positive(int), metavar="BYTES",
              help="Largest POST body (HTTP 413 beyond).")
@click.option("--max-url", default=8 * 1024, show_default=True, type=_positive(int), metavar="BYTES",
              help="Longest URL (HTTP 414 beyond).")
@click.option("--max-memory", default=2048, show_default=True, type=_positive(int), metavar="MiB",
              help="Heap one query worker may use; a query that needs more fails with HTTP 500.")
@click.option("--snapshot/--no-snapshot", default=True, show_default=True,
              help="Serve a private checkpoint of the store taken at start (beside it, hard-linked), so "
                   "`untoc-kg build` may write the store directory while the server runs. With "
                   "--no-snapshot the directory itself is read, and nobody may write it meanwhile.")
@click.option("--upstream", default=None, metavar="URL",
              help="Front a remote SPARQL endpoint (e.g. Oxigraph's /query or Virtuoso's /sparql, after "
                   "`untoc-kg push`) instead of the store: the same refusals, limits and pages.")
@click.option("--upstream-user", default=None, metavar="NAME", help="User name for the upstream, if it asks.")
@click.option("--upstream-password-file", default=None, metavar="FILE",
              type=click.Path(exists=True, dir_okay=False), help="A file whose first line is the upstream's password.")
@click.option("--log-level", default="info", show_default=True,
              type=click.Choice(["critical", "error", "warning", "info", "debug"]))
def serve(host, port, store, timeout, max_results, workers, per_client, max_depth, max_body, max_url, max_memory,
          snapshot, upstream, upstream_user, upstream_password_file, log_level):
    """Serve the graph: a read-only SPARQL 1.1 endpoint, linked data and a query page.

    \b
    /sparql            SPARQL 1.1 Protocol (GET, POST form, POST application/sparql-query);
                       GET without a query gives the service description
    /                  the query page, with the canned queries as examples (works offline)
    /id/...            every IRI of the graph: HTML for browsers, Turtle or JSON-LD by Accept
    /ontology          the ontology, the same way
    /.well-known/void  the VoID description, linking the dumps at /dumps/

    The store is opened read-only and nothing is ever written to it. By default `serve` reads a
    checkpoint of it taken at start (--snapshot), so `untoc-kg build` may rebuild the store while
    the server runs; restart `serve` to publish the new build. With --no-snapshot the directory
    itself is read: then build into a new directory and restart `serve` on that, since reading a
    store that another process writes is undefined.

    SERVICE, LOAD, updates and FROM of graphs not in the store are refused (HTTP 400); queries run in
    worker processes that are killed at the time limit.

    Example:

    \b
        untoc-kg serve --store ./untoc-kg-store --port 8000 --timeout 30
        curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * { ?s a ukg:Body } LIMIT 5' \\
             http://127.0.0.1:8000/sparql
    """
    import logging

    import uvicorn

    from ..store import StoreError, open_store, store_path
    from .app import Settings, create_app, default_workers

    try:
        if not upstream:
            open_store(store, read_only=True)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    from ..upstream import read_password
    logging.basicConfig(level=log_level.upper(), format="%(levelname)s:     %(message)s")
    settings = Settings(store=str(store_path(store)), timeout=timeout, max_results=max_results,
                        workers=workers or default_workers(), per_client=per_client, max_depth=max_depth,
                        max_body=max_body, max_url=max_url, max_memory=max_memory, snapshot=snapshot,
                        upstream=upstream, upstream_user=upstream_user,
                        upstream_password=read_password(upstream_password_file))
    # h11 holds a request line up to this size, so a URL over --max-url reaches the app and gets 414
    uvicorn.run(create_app(settings), host=host, port=port, log_level=log_level, proxy_headers=True,
                h11_max_incomplete_event_size=max(1024 * 1024, 4 * max_url), timeout_graceful_shutdown=5,
                server_header=False)


def register(group: click.Group) -> None:
    """Add `serve` to the `untoc-kg` command group."""
    group.add_command(serve)


__all__ = ["register", "serve"]


if __name__ == "__main__":  # pragma: no cover
    serve()
