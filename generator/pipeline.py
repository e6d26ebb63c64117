"""The pipeline's front door: load → validate → model, in one call, for the CLI and the MkDocs plugin."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .findings import Report
from .load import load
from .model import Dataset, build
from .validate import validate


@dataclass(frozen=True)
class Result:
    report: Report
    dataset: Dataset | None  # None when validation found errors


def load_dataset(data_dir: Path | str) -> Result:
    loaded = load(data_dir)
    report = validate(loaded)
    return Result(report, build(loaded) if report.ok else None)
