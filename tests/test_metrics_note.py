"""`metrics` says what its weights are, from the weights it computes with."""

from __future__ import annotations

from click.testing import CliRunner

from kg.cli import main
from kg.viz import layout
from kg.viz.metrics import weights_note


def test_the_note_gives_the_weights_the_metrics_use(monkeypatch):
    assert "co-observer tie counts 0.15" in weights_note()
    monkeypatch.setitem(layout.WEAK_KINDS, "co-observer", 0.2)
    assert "co-observer tie counts 0.2 " in weights_note()


def test_the_table_ends_with_the_note_and_the_machine_formats_do_not(built_store):
    table = CliRunner().invoke(main, ["metrics", "participation", "--store", str(built_store)])
    assert table.exit_code == 0, table.output
    assert "strength: those ties weighted" in table.output and "co-observer tie counts" in table.output
    csv = CliRunner().invoke(main, ["metrics", "participation", "--format", "csv", "--store", str(built_store)])
    assert "co-observer tie counts" not in csv.output
