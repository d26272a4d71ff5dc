"""Do the meetings and inter-agency extractors' cheap triggers lose a fact on real text?

    python bench/trigger_check.py [--limit N]

Every General Assembly resolution of session 74 in the UN's markup (the development set) is
rendered in each user layout (`loaders.akn_render`) and loaded twice: with the triggers, and with
every trigger replaced by one that lets each paragraph through. The facts those extractors give
(meetings, meeting roles, agreements, joint programmes, roles) are compared per kind: with the full
read as the reference, precision and recall of the triggered read. Both must be 1.000.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loaders.akn import iter_zip, parse_resolution  # noqa: E402
from loaders.akn_render import LAYOUTS, render  # noqa: E402
from loaders.pipeline import load  # noqa: E402

interagency = importlib.import_module("loaders.extract.interagency")
meetings = importlib.import_module("loaders.extract.meetings")
TRIGGERS = ((interagency, "_TRIGGER"), (meetings, "_HELD_TRIGGER"), (meetings, "_OWN_TRIGGER"))
KINDS = ("meetings", "meeting_roles", "agreements", "joint_programmes", "roles")
DEFAULT_ZIP = ROOT.parent / "shared" / "data" / "unxml-ga-74" / "ga-74-english.zip"


def _facts(path: Path) -> dict[str, set]:
    loaded = load(path)
    return {kind: {repr(f) for f in getattr(loaded.facts, kind)} for kind in KINDS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int)
    parser.add_argument("--zip", default=str(DEFAULT_ZIP))
    args = parser.parse_args()
    saved = {(m, a): getattr(m, a) for m, a in TRIGGERS}
    everything = re.compile("")
    found = {k: [0, 0, 0] for k in KINDS}  # reference (full read), triggered, both
    documents = 0
    with tempfile.TemporaryDirectory() as tmp:
        for n, (name, data) in enumerate(iter_zip(args.zip)):
            if args.limit is not None and n >= args.limit:
                break
            res = parse_resolution(data, name)
            for layout in LAYOUTS:
                path = Path(tmp) / f"{Path(name).stem}.{layout}.txt"
                path.write_text(render(res, layout, res.source), encoding="utf-8")
                triggered = _facts(path)
                for m, a in TRIGGERS:
                    setattr(m, a, everything)
                try:
                    full = _facts(path)
                finally:
                    for (m, a), value in saved.items():
                        setattr(m, a, value)
                documents += 1
                for k in KINDS:
                    found[k][0] += len(full[k])
                    found[k][1] += len(triggered[k])
                    found[k][2] += len(full[k] & triggered[k])
    print(f"{documents} documents (resolutions x layouts); the full read is the reference")
    print(f"{'kind':18} {'full':>6} {'trig':>6} {'P':>6} {'R':>6}")
    for k, (ref, got, both) in found.items():
        p = both / got if got else 1.0
        r = both / ref if ref else 1.0
        print(f"{k:18} {ref:6} {got:6} {p:6.3f} {r:6.3f}")


if __name__ == "__main__":
    main()
