"""The build: files -> loaders -> RDF -> store, one document at a time, each replaced atomically.

Why one document at a time: a bad document must cost only itself. Each file is loaded and mapped
in memory, and only a complete graph reaches the store, in one transaction (see `kg.store`).
Why content hashes: an incremental build re-reads only what changed; the hash of the code that
turns text into triples is part of the key, so new extraction code refreshes every graph.
"""

from __future__ import annotations

import errno
import hashlib
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from loaders.errors import Failure, LoadError
from loaders.manifest_entry import ManifestEntry

from . import ids
from .manifest import MANIFEST_NAME, Manifest, read_manifest
from .store import (
    GraphRecord, TermConverter, build_records, open_store, remove_graphs, replace_graph,
    store_path, to_ntriples_lines,
)

DOCUMENT_SUFFIXES = (".txt", ".pdf", ".docx", ".html", ".htm", ".xml", ".zip")
MARKUP_SUFFIXES = (".xml", ".zip")  # the UN's markup (AKN4UN): a file, or a zip of them
REFERENCE_SOURCE = "kg.reference"
ONTOLOGY_SOURCE = "ontology/untoc.ttl"

Progress = Callable[[int, int, str], None]  # (documents done, documents in all, the current file)


@dataclass(frozen=True)
class Source:
    """A file to build: where it is, the key that finds its last build, the name the graph shows."""

    path: Path
    key: str  # resolved absolute path
    name: str  # as the graph records it: relative to its corpus folder
    entry: ManifestEntry | None
    work: object | None = None  # loaders.markup.MarkupWork: the markup files of one resolution


@dataclass(frozen=True)
class Duplicate:
    """A second rendering of a document already read in this build (a PDF and a web copy of one symbol):
    the document is read once; the other file is reported, not failed."""

    path: str
    graph: str
    first: str  # the file whose reading the store keeps


@dataclass
class BuildReport:
    read: int = 0
    skipped: int = 0
    replaced: int = 0
    links: list[str] = field(default_factory=list)  # symbolic links in the folders, not followed
    written: list[str] = field(default_factory=list)  # the documents this build wrote, each whole
    removed: list[str] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    triples: int = 0  # written by this build
    documents: int = 0  # document graphs in the store afterwards
    store_triples: int = 0  # triples in all data graphs afterwards
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=lambda: {"load": 0.0, "map": 0.0, "store": 0.0})
    store: str = ""
    store_exists: bool = True  # False: nothing could be built and no store was left behind

    @property
    def nothing_built(self) -> bool:
        """The one case the CLI exits non-zero for: not a single input made it into the store."""
        return self.read + self.skipped == 0

    def summary(self) -> str:
        parts = [f"read {self.read}", f"skipped {self.skipped} unchanged", f"replaced {self.replaced}"]
        if self.removed:
            parts.append(f"removed {len(self.removed)}")
        if self.duplicates:
            parts.append(f"{len(self.duplicates)} read twice")
        parts.append(f"failed {len(self.failed)}")
        if not self.store_exists:
            return f"{', '.join(parts)}; nothing could be built, so no store was made at {self.store}"
        # triples are counted per named graph: a fact two documents state is counted in each (the
        # endpoint and VoID count the merged default graph, where it is one triple; `untoc-kg stats`
        # gives both)
        return (f"{', '.join(parts)}; wrote {self.triples} triples; the store at {self.store} holds "
                f"{self.documents} documents, {self.store_triples} triples in its named graphs "
                f"({self.seconds:.1f} s)")


# ---------------------------------------------------------------------------------------------
# What to read


def default_corpus() -> Path:
    """`./corpus` when there is one, else the corpus that travels with the package: installed as
    `kg/corpus` from a wheel, beside `kg/` in a checkout."""
    here = Path.cwd() / "corpus"
    if here.is_dir():
        return here
    package = Path(__file__).resolve().parent
    for candidate in (package / "corpus", package.parent / "corpus"):
        if (candidate / MANIFEST_NAME).is_file():
            return candidate
    return here


def collect(paths: Iterable[str | Path], links: list[str] | None = None
            ) -> tuple[list[Source], list[Failure], list[Path]]:
    """Expand files and folders into sources (folders: their documents, sorted, not recursive).

    Returns the sources, the failures found on the way (missing paths, manifest problems) and
    the folders read, whose vanished files the build then drops from the store. Inside a folder
    only regular files are read: a symbolic link there is skipped (it could point anywhere, and
    did: /etc/hostname reached an export) and, when `links` is given, named in it with its target.
    """
    sources: list[Source] = []
    failures: list[Failure] = []
    folders: list[Path] = []
    manifests: dict[Path, Manifest] = {}
    seen: set[str] = set()

    def manifest_of(folder: Path) -> Manifest:
        if folder not in manifests:
            manifests[folder] = read_manifest(folder)
            failures.extend(manifests[folder].failures)
        return manifests[folder]

    def add(path: Path, folder: Path) -> None:
        key = str(path.resolve())
        if key in seen:
            return
        seen.add(key)
        name = path.relative_to(folder).as_posix() if path.is_relative_to(folder) else path.name
        refused = manifest_of(folder).refused.get(name)
        if refused is not None:  # its manifest row is bad: this document fails, the others build
            failures.append(Failure(str(path), "manifest", refused))
            return
        sources.append(Source(path, key, name, manifest_of(folder).entry(name)))

    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            folder = path
            folders.append(folder.resolve())
            manifest = manifest_of(folder)
            files = _regular_files(folder, links)
            for rel in sorted([*manifest.entries, *manifest.refused]):
                if not _is_file(folder / rel):
                    failures.append(Failure(str(folder / MANIFEST_NAME), "manifest",
                                            f"lists {rel}, which is not in {folder}"))
            for file in files:
                add(file, folder)
        elif path.is_file():
            if path.name == MANIFEST_NAME:
                failures.append(Failure(str(path), "read", "this is a corpus manifest, not a document: "
                                                           "pass its folder instead"))
                continue
            add(path, path.parent)
        else:
            failures.append(Failure(str(path), "read", "no such file or directory"))
    return sources, failures, folders


def _regular_files(folder: Path, links: list[str] | None) -> list[Path]:
    """The folder's documents that are regular files, by name; links skipped and noted."""
    files = []
    for entry in os.scandir(folder):
        path = Path(folder, entry.name)
        if entry.name.startswith(".") or path.suffix.lower() not in DOCUMENT_SUFFIXES:
            continue
        if entry.is_symlink():
            if links is not None:
                try:
                    target = os.readlink(path)
                except OSError:
                    target = "?"
                links.append(f"{path} -> {target}")
            continue
        if entry.is_file(follow_symlinks=False):
            files.append(path)
    return sorted(files, key=lambda p: p.name)


def _is_file(path: Path) -> bool:
    """`Path.is_file`, False too for a name the system refuses (too long, say) instead of raising."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def markup_sources(sources: list[Source]) -> tuple[list[Source], list[Failure]]:
    """Markup files and zips -> one source per resolution, its files in every language grouped by
    their FRBR work (six zips, or six files in a folder, name the same resolution alike).

    Every file is read and every archive checked before anything is built, so a refused archive
    (hostile markup, a bomb, a climbing name, an entry over the cap) leaves nothing of itself in
    the store. Each refusal is a failure naming the file, and the archive's entry.
    """
    markup = [s for s in sources if s.path.suffix.lower() in MARKUP_SUFFIXES]
    if not markup:
        return sources, []
    from loaders.markup import group_works, read_markup

    failures: list[Failure] = []
    files, origin = [], {}
    for src in markup:
        read, failed = read_markup(src.path, src.name)
        failures.extend(failed)
        for f in read:
            origin[f.name] = src
        files.extend(read)
    works, failed = group_works(files)
    failures.extend(failed)
    others = [s for s in sources if s.path.suffix.lower() not in MARKUP_SUFFIXES]
    for work in works:
        first = origin[work.files[0].name]
        others.append(Source(first.path, f"{first.key}#{work.uri}", work.name, None, work))
    return others, failures


@lru_cache(maxsize=1)
def build_version() -> str:
    """The package version plus a hash of the code and data that turn files into triples."""
    from importlib import metadata

    import loaders

    try:
        version = metadata.version("untoc-kg")
    except metadata.PackageNotFoundError:
        version = "0+checkout"
    digest = hashlib.sha256()
    kg_dir = Path(__file__).resolve().parent
    loaders_dir = Path(loaders.__file__).resolve().parent
    files = sorted(p for p in loaders_dir.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    files += [kg_dir / n for n in ("mapping.py", "ntriples.py", "ids.py", "vocab.py", "store.py") if (kg_dir / n).is_file()]
    for file in files:
        digest.update(file.name.encode() + b"\0" + file.read_bytes() + b"\0")
    return f"{version}/{digest.hexdigest()[:16]}"


# ---------------------------------------------------------------------------------------------
# The build


def _default_loader():
    from loaders.pipeline import load

    return load


def _default_mapper():
    from .mapping import document_lines

    return document_lines


def _default_reference():
    from .reference import reference_triples

    return reference_triples


def build(paths: Sequence[str | Path] | None = None, store_dir: str | Path | None = None,
          rebuild: bool = False, progress: Progress | None = None, *,
          loader: Callable | None = None, mapper: Callable | None = None,
          reference: Callable | None = None, ontology: Callable | None = None,
          dask: object | None = None) -> BuildReport:
    """Build (or bring up to date) the store from files and folders; default: the corpus.

    `loader`, `mapper`, `reference` and `ontology` default to the real pipeline and are parameters so that
    tests can feed the build documents that fail in chosen ways. With the real pipeline and enough
    documents to load, loading and mapping run in worker processes while this one writes the store,
    in the order of the sources. With `dask` (a scheduler's address, `local:N`, or a connected
    `distributed.Client`) they run on that cluster's workers instead (`kg.cluster`).
    """
    started = time.perf_counter()
    reference = reference or _default_reference()
    ontology = ontology or _ontology_lines
    links: list[str] = []
    sources, failures, folders = collect(paths if paths else [default_corpus()], links)
    sources, refused = markup_sources(sources)
    failures.extend(refused)
    report = BuildReport(failed=failures, store=str(store_path(store_dir)), links=links)
    existed = store_path(store_dir).exists()
    if not sources and not existed:  # nothing to read: no store is made for nothing
        report.store_exists = False
        report.seconds = time.perf_counter() - started
        return report
    version = build_version()
    store = open_store(store_dir, read_only=False)
    records = build_records(store)
    by_source = {r.source: r for r in records.values()}
    convert = TermConverter()

    try:
        _write_static(store, str(ids.REFERENCE_GRAPH), REFERENCE_SOURCE,
                      lambda: _reference_lines(reference, convert), rebuild, records, version, report)
        _write_static(store, str(ids.ONTOLOGY_GRAPH), ONTOLOGY_SOURCE, ontology, rebuild, records, version,
                      report)

        parallel = loader is None and mapper is None  # stand-ins stay in this process
        loader = loader or _default_loader()
        mapper = mapper or _default_mapper()
        _build_documents(store, sources, rebuild, version, loader, mapper, parallel, convert, records,
                         by_source, report, progress, dask)

        current = {s.key for s in sources}
        gone = [r for r in build_records(store).values()
                if r.source not in current and any(r.source.startswith(str(f) + "/") for f in folders)
                and not Path(r.source).is_file()]
        if gone:
            remove_graphs(store, [r.graph for r in gone])
            report.removed = sorted(r.source_name for r in gone)

        store.flush()
    except OSError as exc:
        if not disk_full(exc):
            raise
        report.seconds = time.perf_counter() - started
        raise BuildStopped(report, f"no space left on device while writing the store at {report.store}") from exc
    final = build_records(store)
    report.documents = sum(1 for g in final if g.startswith(ids.ID_BASE + "doc/"))
    report.store_triples = sum(r.triples for r in final.values())
    if report.nothing_built and not existed:
        # every document failed: the reference data alone is no store; leave nothing behind
        del store
        _remove_new_store(store_path(store_dir))
        report.store_exists = False
        report.triples = report.store_triples = report.documents = 0
    report.seconds = time.perf_counter() - started
    return report


def _remove_new_store(path: Path) -> None:
    """Remove a store directory this build made, once the store is closed (pyoxigraph closes a
    store when the last reference to it goes)."""
    import gc
    import shutil

    gc.collect()
    shutil.rmtree(path, ignore_errors=True)


class BuildStopped(OSError):
    """The disk filled: the build stopped at the document it was writing. Each document is written
    in one transaction, so `report.written` names exactly the documents this build replaced; every
    other one keeps what the store held before."""

    def __init__(self, report: BuildReport, message: str):
        super().__init__(errno.ENOSPC, message)
        self.report = report

    def __str__(self) -> str:
        return self.strerror


def disk_full(exc: OSError) -> bool:
    """RocksDB's errors reach Python as OSError without an errno: read its message too."""
    return exc.errno in (errno.ENOSPC, errno.EDQUOT) or "No space left on device" in str(exc)


def _reference_lines(reference, convert) -> list[str]:
    return to_ntriples_lines(reference(), convert)


def _ontology_lines() -> list[str]:
    """The ontology, so that a query can read the labels and comments of our terms.

    Its OWL lists are blank nodes; they are given their RDFC-1.0 canonical labels so that the
    same ontology always gives the same lines, and so the same content hash.
    """
    import pyoxigraph as ox

    from .resources import ontology_dir

    text = ontology_dir().joinpath("untoc.ttl").read_bytes()
    graph = ox.NamedNode(str(ids.ONTOLOGY_GRAPH))
    try:
        dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object, graph)
                             for t in ox.parse(text, format=ox.RdfFormat.TURTLE))
    except SyntaxError as exc:
        raise ValueError(f"ontology/untoc.ttl: {exc}") from exc
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted({f"{q.subject} {q.predicate} {q.object} ." for q in dataset})


def _write_static(store, graph: str, source: str, make_lines, rebuild, records, version, report) -> None:
    """Reference data and ontology: replaced only when their content changed."""
    try:
        lines = make_lines()
    except (ValueError, OSError) as exc:
        report.failed.append(Failure(source, "reference", str(exc)))
        return
    digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()
    old = records.get(graph)
    if (not rebuild and old and old.content_hash == digest and old.version == version
            and store.contains_named_graph(_node(graph))):
        return
    replace_graph(store, graph, lines, GraphRecord(graph, source, source, digest, version, len(lines)))
    report.triples += len(lines)


def _node(iri: str):
    import pyoxigraph

    return pyoxigraph.NamedNode(iri)


@dataclass(frozen=True)
class Produced:
    """A document made ready to write: its graph's name and N-Triples lines, and the work it took."""

    graph: str
    lines: list[str]
    sha256: str | None
    load_seconds: float
    map_seconds: float


def produce(src: Source, loader, mapper, convert: TermConverter | None = None) -> Produced | Failure:
    """Load and map one document, away from the store: a failure is returned, never half-written."""
    t0 = time.perf_counter()
    try:
        if src.work is not None:
            from loaders.markup import load_work

            loaded = load_work(src.work)
        else:
            loaded = loader(src.path, src.entry, source_name=src.name)
    except LoadError as exc:
        return exc.record()
    t1 = time.perf_counter()
    try:
        graph, triples = mapper(loaded)
        # the real mapper writes N-Triples lines itself (kg.ntriples); a stand-in may give rdflib triples
        lines = triples if _are_lines(triples) else to_ntriples_lines(triples, convert)
    except ValueError as exc:
        return Failure(str(src.path), "map", f"could not map the facts to RDF: {exc}")
    sha = getattr(getattr(loaded, "source", None), "sha256", None)
    return Produced(str(graph), lines, sha, t1 - t0, time.perf_counter() - t1)


def _are_lines(triples) -> bool:
    """Whether a mapper gave sorted, distinct N-Triples lines (`kg.mapping.document_lines`)."""
    return isinstance(triples, list) and bool(triples) and type(triples[0]) is str


def _produce_in_worker(src: Source) -> Produced | Failure:
    """What a worker process runs: the real pipeline (injected stand-ins do not cross processes)."""
    return produce(src, _default_loader(), _default_mapper())


PARALLEL_FROM = 16  # documents to load before worker processes pay for their start-up


def _produced(todo: list[Source], loader, mapper, convert, parallel: bool, dask=None, workers: int | None = None):
    """Results in the order of `todo`; in worker processes when that is worth it.

    The real pipeline always runs in bounded workers (`kg.bounded`): one worker for a few documents,
    more when there are enough to pay for their start-up. Injected stand-ins stay in this process.
    With `dask`, the documents go to that Dask cluster instead (`kg.cluster`).
    """
    if dask is not None and todo:
        from .cluster import produced_on_cluster

        return produced_on_cluster(todo, dask)
    if parallel:
        from .bounded import run_bounded

        if workers is None:
            many = len(todo) >= PARALLEL_FROM and (os.cpu_count() or 1) >= 2
            workers = max(1, min((os.cpu_count() or 2) - 1, 8)) if many else 1  # one core stays with the writer
        return run_bounded(todo, _produce_in_worker, workers)
    return (produce(src, loader, mapper, convert) for src in todo)


def _unchanged(store, src: Source, sha: str, version: str, old: GraphRecord | None) -> bool:
    return (old is not None and old.content_hash == sha and old.version == version
            and old.source_name == src.name and store.contains_named_graph(_node(old.graph)))


def _build_documents(store, sources, rebuild, version, loader, mapper, parallel, convert, records,
                     by_source, report: BuildReport, progress, dask=None) -> None:
    owners: dict[str, str] = {}  # graph -> the file that gave it in this build
    todo: list[tuple[Source, str, str, GraphRecord | None]] = []
    same_bytes: dict[tuple, Source] = {}  # (SHA-256 of a file's bytes, its manifest row) -> first file
    copies: list[tuple[Source, Source]] = []  # (a file, the earlier file with the same bytes)
    done = 0

    def tick(src: Source) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, len(sources), src.name)

    for src in sources:
        try:
            sha = src.work.sha256 if src.work is not None else hashlib.sha256(src.path.read_bytes()).hexdigest()
        except OSError as exc:
            report.failed.append(Failure(str(src.path), "read", exc.strerror or str(exc)))
            tick(src)
            continue
        # the very same bytes as a file before it, said by the manifest to be the same document
        # (same symbol, title, source, language): refused unread
        said = tuple(getattr(src.entry, k, None) for k in ("symbol", "title", "source", "language"))
        if (sha, said) in same_bytes:
            copies.append((src, same_bytes[(sha, said)]))
            tick(src)
            continue
        same_bytes[(sha, said)] = src
        src_version = _input_version(version, src.entry)
        old = by_source.get(src.key)
        if not rebuild and _unchanged(store, src, sha, src_version, old):
            if old.graph in owners:
                report.duplicates.append(_duplicate(src, old.graph, owners))
            else:
                owners[old.graph] = src.name
                report.skipped += 1
            tick(src)
            continue
        todo.append((src, sha, src_version, old))

    writer = _bulk_writer(store, todo, records)  # many documents: N-Quads, then the bulk loader
    # either way the documents are read in the bounded workers: no document escapes its time and memory bound
    sources_todo = [t[0] for t in todo]
    if dask is not None:
        results = _produced(sources_todo, loader, mapper, convert, parallel, dask)
    elif writer is not None:
        # the bulk writer only appends to files: every core extracts (or $UNTOC_KG_WORKERS), still bounded
        from . import bulk

        results = _produced(sources_todo, loader, mapper, convert, parallel, workers=bulk.worker_count())
    else:
        results = _produced(sources_todo, loader, mapper, convert, parallel)
    write = _write if writer is None else writer.add
    for (src, sha, src_version, old), result in zip(todo, results):
        if isinstance(result, Failure):
            report.failed.append(result)
        elif result.graph in owners:
            report.duplicates.append(_duplicate(src, result.graph, owners))
        else:
            write(store, src, result, sha, src_version, old, records, owners, report)
        if isinstance(result, Produced):
            report.timings["load"] += result.load_seconds
            report.timings["map"] += result.map_seconds
        tick(src)
    if writer is not None:
        writer.finish(report)
    graph_of = {name: graph for graph, name in owners.items()}
    for src, first in copies:
        if first.name in graph_of:
            report.duplicates.append(Duplicate(str(src.path), graph_of[first.name], first.name))
        else:
            report.failed.append(Failure(str(src.path), "read", f"the same bytes as {first.name}, "
                                                                "which could not be built either"))


BULK_UNION = "every"  # how the bulk path writes the union graph (kg.bulk.BulkWriter); bench varies it
BULK_FROM: int | None = None  # None: kg.bulk.BULK_FROM; tests and benchmarks set it


def _bulk_writer(store, todo, records):
    """A bulk writer when there are enough documents to write (see `kg.bulk`), else None."""
    from . import bulk

    if not bulk.wanted(todo, BULK_FROM):
        return None
    return bulk.BulkWriter(store, records, union=BULK_UNION)


def _write(store, src: Source, result: Produced, sha: str, version: str, old, records, owners,
           report: BuildReport) -> None:
    owners[result.graph] = src.name
    drop = [old.graph] if old is not None and old.graph != result.graph else []
    record = GraphRecord(result.graph, src.key, src.name, result.sha256 or sha, version, len(result.lines))
    started = time.perf_counter()
    replace_graph(store, result.graph, result.lines, record, drop)
    report.timings["store"] += time.perf_counter() - started
    report.read += 1
    report.written.append(src.name)
    report.triples += len(result.lines)
    if old is not None or result.graph in records:
        report.replaced += 1


def _input_version(version: str, entry: ManifestEntry | None) -> str:
    """A manifest row is input too: a symbol added to it must refresh the document's graph."""
    if entry is None:
        return version
    row = "\t".join(v or "" for v in (entry.path, entry.symbol, entry.title, entry.source, entry.language))
    return f"{version};manifest={hashlib.sha256(row.encode()).hexdigest()[:16]}"


def _duplicate(src: Source, graph: str, owners: dict[str, str]) -> Duplicate:
    return Duplicate(str(src.path), graph, owners[graph])


__all__ = ["BuildReport", "BuildStopped", "Duplicate", "Source", "build", "build_version", "collect", "default_corpus",
           "markup_sources", "DOCUMENT_SUFFIXES", "MARKUP_SUFFIXES"]
