"""Writing generated files into a folder that people may also keep their own files in.

Rules: a file this module did not generate is never overwritten or deleted; a file whose content has not changed
is not rewritten (its modification time stays, so other tools can rebuild incrementally); files generated last
time that are no longer produced are removed. What was generated is listed in a manifest beside the files.
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = ".qingdan-generated.json"


class OutputConflict(Exception):
    def __init__(self, paths: list[str]) -> None:
        super().__init__("、".join(paths))
        self.paths = paths


@dataclass
class Written:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def _previous(out: Path) -> set[str]:
    try:
        return set(json.loads((out / MANIFEST).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return set()


def write_tree(files: dict[str, str | bytes], out: Path) -> Written:
    out.mkdir(parents=True, exist_ok=True)
    previous = _previous(out)
    conflicts = sorted(p for p in files if p not in previous and (out / p).exists())
    if conflicts:
        raise OutputConflict(conflicts)  # checked before anything is written
    result = Written()
    for path, content in sorted(files.items()):
        data = content.encode("utf-8") if isinstance(content, str) else content
        target = out / path
        try:
            if target.read_bytes() == data:
                result.unchanged.append(path)
                continue
        except OSError:
            pass
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, scratch = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(scratch, target)
        result.written.append(path)
    for path in sorted(previous - files.keys()):
        try:
            (out / path).unlink()
            result.removed.append(path)
        except FileNotFoundError:
            pass
    manifest = json.dumps(sorted(files), ensure_ascii=False, indent=0)
    if not (out / MANIFEST).exists() or (out / MANIFEST).read_text(encoding="utf-8") != manifest:
        (out / MANIFEST).write_text(manifest, encoding="utf-8")
    return result
