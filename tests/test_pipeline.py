"""A document whose reading fails costs that document only, with its file name and the stage."""

import pytest

from loaders import pipeline
from loaders.errors import LoadError

from .seeds import CORPUS, DRAFT_2010


def test_a_failure_inside_extraction_names_the_file_and_the_stage(monkeypatch):
    def broken(*args, **kwargs):
        raise TypeError("an unforeseen layout")

    monkeypatch.setattr(pipeline, "extract_facts", broken)
    with pytest.raises(LoadError) as info:
        pipeline.load(CORPUS / DRAFT_2010)
    assert info.value.stage == "extract"
    assert DRAFT_2010 in str(info.value) and "an unforeseen layout" in str(info.value)


def test_the_pipeline_reads_a_seed_end_to_end():
    loaded = pipeline.load(CORPUS / DRAFT_2010)
    assert loaded.source.encoding == "utf-8"
    assert loaded.facts.draft is not None and len(loaded.structure.paragraphs) > 20
