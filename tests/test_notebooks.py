"""The notebooks run top to bottom on the bundled corpus, and say what the graph says.

Each notebook in `notebooks/` is executed with nbclient in a fresh kernel, as a reader would run it
(working directory `notebooks/`, the corpus found from there; `$UNTOC_KG_CORPUS` is set as well so
that a relocated checkout still works). Any error fails the test. Then a few key values the
notebooks display are read back from their outputs, so that a notebook's claims cannot drift from
the graph: the cells that show them carry a tag (`lineage-summary`, `most-central`, ...).

The kernel is this very interpreter's ipykernel (`sys.executable -m ipykernel_launcher`), whatever
kernelspecs are or are not installed: the test must not pick up some other Python's "python3".
Matplotlib draws with the inline backend (`matplotlib_inline`, non-interactive, PNG output): with
`MPLBACKEND=Agg` a kernel would draw nothing at all, and the test could not see that each picture
was made. The notebooks are stored without outputs; `test_notebooks_are_stored_without_outputs`
holds them to that. All three run in about 15 s, each once per session (the tests share the runs),
so the tests are not marked slow.
"""

from __future__ import annotations

import re
import socket
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager, NoSuchKernel
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from traitlets import default

from tests.conftest import CORPUS, ROOT, subprocess_env

NOTEBOOKS = ROOT / "notebooks"
ALL = sorted(NOTEBOOKS.glob("*.ipynb"))
INLINE = "module://matplotlib_inline.backend_inline"

# What each notebook must show: {tag of the cell: [regular expressions its output must match]},
# and how many pictures it draws.
CHECKS: dict[str, dict[str, list[str]]] = {
    "01-mandate-lineage.ipynb": {
        "lineage-summary": [r"Established by: decision 4/4 \(2008-10-08\)\n",
                            r"Continued by:\s+resolution 5/2 \(2010-10-18\), resolution 6/1 \(2012-10-15\)\n"],
        "requests": [r"Request under 5/2, of the Working Group on Trafficking in Persons: "
                     r"“decided that the working group should hold at least one intersessional meeting",
                     r"Reported on 5/2: Secretariat of the Conference of the Parties"],
        "evidence": [r"decided to establish an open-ended interim working group",
                     r"paragraph 1 of \*Report on the meeting of the Working Group on Trafficking in Persons"],
        "secretariat": [r"lineage steps: 0", r"report under 5/2", r"proposed in a draft: 3 tasks",
                        r"paragraph 10: Also requests the Secretariat to continue to assist the Working Group"],
    },
    "02-interagency-landscape.ipynb": {
        "most-central": [r"Most central organization: UNODC \(United Nations Office on Drugs and Crime\)",
                         r"betweenness 0\.\d+ \(first: True\)"],
        "ties": [r"11 documented ties among 21 organizations"],
    },
    "03-sparql-and-states.ipynb": {
        "start": [r"SPARQL endpoint at http://127\.0\.0\.1:\d+/sparql"],
        "by-capacity": [r"States parties in attendance: 70\n", r"All participants: 94 \(81 States, 13 organizations\)"],
        "join": [r"81 of 81 States at the meeting have an M49 code in the reference graph; ISO codes agree: True"],
        "stop": [r"Server on port \d+ stopped: True"],
    },
}
PICTURES = {"01-mandate-lineage.ipynb": 1, "02-interagency-landscape.ipynb": 1, "03-sparql-and-states.ipynb": 1}


class SameInterpreterSpecs(KernelSpecManager):
    """"python3" is this interpreter's ipykernel: no kernelspec needs to be installed anywhere."""

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        if kernel_name != "python3":
            raise NoSuchKernel(kernel_name)
        return KernelSpec(argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                          display_name="Python 3 (untoc-kg tests)", language="python",
                          resource_dir=str(NOTEBOOKS))


class SameInterpreterKernel(AsyncKernelManager):
    @default("kernel_spec_manager")
    def _same_interpreter(self) -> KernelSpecManager:
        return SameInterpreterSpecs()


def kernel_env() -> dict[str, str]:
    env = subprocess_env(MPLBACKEND=INLINE, UNTOC_KG_CORPUS=str(CORPUS))
    # the endpoint notebook talks to 127.0.0.1: never through a proxy the environment may name
    for key in ("NO_PROXY", "no_proxy"):
        env[key] = ",".join(filter(None, [env.get(key), "127.0.0.1", "localhost"]))
    return env


_executed: dict[Path, nbformat.NotebookNode] = {}


def execute(path: Path) -> nbformat.NotebookNode:
    """The notebook run top to bottom in a fresh kernel (once per session); raises on any error."""
    if path not in _executed:
        notebook = nbformat.read(path, as_version=4)
        client = NotebookClient(notebook, timeout=300, kernel_name="python3",
                                kernel_manager_class=SameInterpreterKernel,
                                resources={"metadata": {"path": str(NOTEBOOKS)}})
        client.execute(env=kernel_env())
        _executed[path] = notebook
    return _executed[path]


def shown(cell) -> str:
    """What a cell displayed: printed text, and text, Markdown and HTML results."""
    parts = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            parts.append(output.text)
        elif output.output_type in ("execute_result", "display_data"):
            data = output.data
            parts.append(data.get("text/markdown") or data.get("text/plain", ""))
    return "".join(parts)


def tagged(notebook, tag: str):
    cells = [c for c in notebook.cells if tag in c.get("metadata", {}).get("tags", [])]
    assert len(cells) == 1, f"expected one cell tagged {tag!r}, found {len(cells)}"
    return cells[0]


def processes_mentioning(text: str) -> list[str]:
    """Command lines of live processes that mention `text` (Linux /proc; empty elsewhere)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            line = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in line:
            found.append(line)
    return found


def test_there_are_notebooks():
    assert [p.name for p in ALL] == sorted(CHECKS)


def test_notebooks_are_stored_without_outputs():
    """Outputs are not kept in git: they would be stale the day the corpus or the code changes."""
    for path in ALL:
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
        for cell in notebook.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: clear its outputs"


@pytest.mark.parametrize("path", ALL, ids=[p.stem for p in ALL])
def test_notebook_runs_and_shows_what_the_graph_says(path):
    notebook = execute(path)
    for tag, patterns in CHECKS[path.name].items():
        text = shown(tagged(notebook, tag))
        for pattern in patterns:
            assert re.search(pattern, text), f"{path.name}, cell {tag!r}: no match for {pattern!r} in:\n{text}"
    pictures = sum("image/png" in o.get("data", {}) for c in notebook.cells if c.cell_type == "code"
                   for o in c.outputs)
    assert pictures == PICTURES[path.name]
    # the store was private to the notebook and went away with its kernel
    setup = shown(notebook.cells[1])
    store = re.search(r"the store at (\S+) holds", setup).group(1)
    assert "untoc-kg-notebook-" in store
    assert not Path(store).exists()


def test_the_landscape_notebook_embeds_the_page():
    notebook = execute(NOTEBOOKS / "02-interagency-landscape.ipynb")
    pages = [o.data["text/html"] for c in notebook.cells if c.cell_type == "code" for o in c.outputs
             if "text/html" in o.get("data", {}) and "<iframe srcdoc=" in o.data["text/html"]]
    assert len(pages) == 1
    assert "Content-Security-Policy" in pages[0] and "vis-network" in pages[0]


def test_the_endpoint_notebook_stops_its_server():
    notebook = execute(NOTEBOOKS / "03-sparql-and-states.ipynb")
    started = shown(tagged(notebook, "start"))
    port = int(re.search(r"127\.0\.0\.1:(\d+)/sparql", started).group(1))
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    store = re.search(r"the store at (\S+) holds", shown(notebook.cells[1])).group(1)
    assert processes_mentioning(store) == []  # neither the server nor its query workers are left
