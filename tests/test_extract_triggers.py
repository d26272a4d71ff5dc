"""The cheap triggers that let the meetings and inter-agency extractors skip a paragraph change no fact:
on every seed, the facts are the same as when every paragraph is read in full."""

from __future__ import annotations

import importlib
import re

import pytest

from .seeds import DRAFT_2010, PAPER_2011, REPORT_2012, REPORT_2013, structure
from .seeds import facts as _cached_facts

facts = _cached_facts.__wrapped__  # read again each time: the triggers are patched in between

# the modules (the package exports functions of the same names)
interagency = importlib.import_module("loaders.extract.interagency")
meetings = importlib.import_module("loaders.extract.meetings")

SEEDS = [REPORT_2012, DRAFT_2010, REPORT_2013, PAPER_2011]
EVERYTHING = re.compile("")  # a trigger that lets every paragraph through


@pytest.mark.parametrize("name", SEEDS)
def test_the_triggers_change_no_fact_of_a_seed(name, monkeypatch):
    triggered = facts(name)
    for module, attr in ((interagency, "_TRIGGER"), (meetings, "_HELD_TRIGGER"), (meetings, "_OWN_TRIGGER")):
        monkeypatch.setattr(module, attr, EVERYTHING)
    in_full = facts(name)
    assert triggered == in_full


@pytest.mark.parametrize("name", SEEDS)
def test_the_triggers_skip_paragraphs_and_keep_those_with_facts(name):
    paragraphs = structure(name).paragraphs
    skipped = [p for p in paragraphs if not interagency._TRIGGER.search(p.text)]
    assert skipped, "the trigger should spare most paragraphs of a report the sentence split"
    read = facts(name)
    for tie in read.agreements + read.joint_programmes + read.roles:
        assert interagency._TRIGGER.search(tie.evidence.quote), tie
