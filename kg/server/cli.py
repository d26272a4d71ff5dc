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
              help="Queries one client address may have in flight (running or waiting); the next gets HTTP "
                   "429 with Retry-After.")
@click.option("--client-share", default=None, type=_positive(int), metavar="N",
              help="Query workers one client address may run while another client waits; always below "
                   "--workers. Free workers go first to the clients that used least worker time lately; an "
                   "idle server lends its workers to a client of cheap queries and takes them back when "
                   "someone else comes [default: workers - 1, at least 1].")
@click.option("--max-depth", default=100, show_default=True, type=_positive(int), metavar="N",
              help="Deepest nesting of { } ( ) [ ] a query may have (HTTP 400 beyond).")
@click.option("--max-body", default=64 * 1024, show_default=True, type=_positive(int), metavar="BYTES",
              help="Largest POST body (HTTP 413 beyond).")
@click.option("--max-url", default=8 * 1024, show_default=True, type=_positive(int), metavar="BYTES",
              help="Longest URL (HTTP 414 beyond).")
@click.option("--max-bytes", default=16 * 1024 * 1024, show_default=True, type=_positive(int), metavar="BYTES",
              help="Bytes in one answer; more rows are cut, with the headers X-SPARQL-Truncated and "
                   "X-SPARQL-MaxBytes.")
@click.option("--max-header", default=16 * 1024, show_default=True, type=_positive(int), metavar="BYTES",
              help="Bytes of request headers (HTTP 431 beyond, read no further).")
@click.option("--header-timeout", default=10.0, show_default=True, type=_positive(float), metavar="SECONDS",
              help="Time for a request's line and headers to arrive (HTTP 408 and the connection closed).")
@click.option("--body-timeout", default=30.0, show_default=True, type=_positive(float), metavar="SECONDS",
              help="Time for a request's body to arrive once its headers have (the connection is closed).")
@click.option("--max-connections", default=1024, show_default=True, type=_positive(int), metavar="N",
              help="Open connections in all; past it a new one gets HTTP 503 and is closed.")
@click.option("--per-address", default=32, show_default=True, type=_positive(int), metavar="N",
              help="Open connections from one address (a --trusted-proxy is exempt); past it HTTP 503.")
@click.option("--trusted-proxy", "trusted_proxies", multiple=True, metavar="ADDRESS",
              help="A reverse proxy (IP address or network, e.g. 10.0.0.0/8) whose X-Forwarded-For and "
                   "X-Forwarded-Proto are believed; repeat for several. From anyone else they are ignored "
                   "[default: none].")
@click.option("--base-url", default=None, metavar="URL",
              help="The public address of the server (e.g. https://kg.example.org), written into the VoID "
                   "and service descriptions; never taken from a request's Host header [default: "
                   "http://HOST:PORT].")
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
def serve(host, port, store, timeout, max_results, workers, per_client, client_share, max_depth, max_body, max_url,
          max_bytes, max_header, header_timeout, body_timeout, max_connections, per_address, trusted_proxies,
          base_url, max_memory, snapshot, upstream, upstream_user, upstream_password_file, log_level):
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
    worker processes that are killed at the time limit. Every connection is bounded (headers' size
    and time, body time, connections per address), and no client can hold every worker.

    Example:

    \b
        untoc-kg serve --store ./untoc-kg-store --port 8000 --timeout 30
        curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * { ?s a ukg:Body } LIMIT 5' \\
             http://127.0.0.1:8000/sparql
    """
    import ipaddress
    import logging

    import uvicorn

    from ..store import StoreError, open_store, store_path
    from .app import Settings, create_app, default_workers
    from .fair import effective_share
    from .front import FrontLimits, FrontState, protocol_class, quiet_logs, raise_file_limit

    try:
        if not upstream:
            open_store(store, read_only=True)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    for proxy in trusted_proxies:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            raise click.BadParameter(f"{proxy!r} is not an IP address or network", param_hint="--trusted-proxy") \
                from None
    if base_url is not None and not base_url.startswith(("http://", "https://")):
        raise click.BadParameter("give the URL with its scheme, e.g. https://kg.example.org", param_hint="--base-url")
    from ..upstream import read_password
    logging.basicConfig(level=log_level.upper(), format="%(levelname)s:     %(message)s")
    quiet_logs()
    workers = workers or default_workers()
    if workers == 1:
        logging.getLogger("untoc_kg.server").warning(
            "one query worker: a client running a slow query holds it; give --workers 2 or more")
    elif client_share is not None and client_share >= workers:
        logging.getLogger("untoc_kg.server").warning(
            "--client-share %d is not below --workers %d: one client may run %d", client_share, workers,
            effective_share(workers, client_share))
    # descriptors: a connection each, plus the workers', the store's and the dumps' files
    files = raise_file_limit(max_connections + 256)
    if files < max_connections + 256:
        logging.getLogger("untoc_kg.server").warning(
            "the open-file limit is %d: at most %d connections at once, not %d", files, max(16, files - 256),
            max_connections)
        max_connections = max(16, files - 256)
    settings = Settings(store=str(store_path(store)), timeout=timeout, max_results=max_results,
                        workers=workers, per_client=per_client, client_share=client_share, max_depth=max_depth,
                        max_body=max_body, max_url=max_url, max_memory=max_memory, snapshot=snapshot,
                        max_bytes=max_bytes, base_url=base_url or _default_base(host, port),
                        upstream=upstream, upstream_user=upstream_user,
                        upstream_password=read_password(upstream_password_file))
    front = FrontState(FrontLimits(max_connections=max_connections, per_address=per_address,
                                   header_timeout=header_timeout, body_timeout=body_timeout, max_url=max_url,
                                   max_header=max_header, trusted_proxies=tuple(trusted_proxies)))
    app = create_app(settings, on_stop=lambda: front.refusals.report(force=True))
    uvicorn.run(app, host=host, port=port, log_level=log_level, http=protocol_class(front),
                proxy_headers=bool(trusted_proxies), forwarded_allow_ips=list(trusted_proxies) or None,
                timeout_graceful_shutdown=3, server_header=False,
                # below info the access log writes nothing, but uvicorn still formats each line's
                # arguments (the client's address, the quoted path and query) unless told it is off
                access_log=log_level in ("info", "debug"))


def _default_base(host: str, port: int) -> str | None:
    """http://HOST:PORT for a named address; None (the socket's own address) for a wildcard one."""
    if host in ("0.0.0.0", "::", "") or not port:
        return None
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def register(group: click.Group) -> None:
    """Add `serve` to the `untoc-kg` command group."""
    group.add_command(serve)


__all__ = ["register", "serve"]


if __name__ == "__main__":  # pragma: no cover
    serve()
