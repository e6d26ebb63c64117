"""The pipeline's front door: load → validate → model → graph checks, in one call, for the CLI and the plugin."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from . import checks, graph
from .findings import Report
from .load import Loaded, load
from .model import Dataset, build
from .validate import validate


@dataclass(frozen=True)
class Result:
    report: Report
    dataset: Dataset | None  # None when validation found errors
    graph: nx.MultiDiGraph | None = None


def load_dataset(data_dir: Path | str, names_from: Path | None = None) -> Result:
    return check_loaded(load(data_dir, names_from))


def check_loaded(loaded: Loaded) -> Result:
    """Validation, model and graph checks for data already read."""
    report = validate(loaded)
    if not report.ok:
        return Result(report, None)
    dataset = build(loaded)
    g = graph.build(dataset)
    return Result(report.merged(checks.findings(dataset, g)), dataset, g)


def validate_dir(data_dir: Path | str) -> Report:
    return load_dataset(data_dir).report
