"""The change log: the semantic changes of each commit that touched the data, newest first.

Only dates and commit messages are published, never author names: the people who keep the data are staff, and
their names stay out of the handbook.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import diff as diffs


@dataclass(frozen=True)
class Commit:
    sha: str
    date: str  # YYYY-MM-DD, the commit date
    subject: str
    changes: tuple[diffs.Change, ...] = ()

    @property
    def note(self) -> str:
        """The commit message's first line as published: only when written in Chinese (more Chinese characters
        than Latin letters), for the handbook's readers.

        Others are tool defaults or technical notes ("Update duties.yaml", "Merge branch …") that say nothing to a
        reader of a Chinese handbook; the change list below them says what changed either way.
        """
        chinese, latin = len(_CJK.findall(self.subject)), len(_LATIN.findall(self.subject))
        return self.subject if chinese and chinese >= latin else ""


@dataclass(frozen=True)
class History:
    available: bool
    reason: str = ""  # why there is no history, in words for the page
    commits: tuple[Commit, ...] = ()
    truncated: bool = False  # more commits exist than were read
    by_record: dict[str, list[tuple[Commit, diffs.Change]]] = field(default_factory=dict)
    names: dict[tuple[str, str], str] = field(default_factory=dict)  # (record, id) → name added/removed with


_CJK = re.compile("[\u3400-\u9fff]")
_LATIN = re.compile("[A-Za-z]")
NO_GIT = "数据目录不在 git 仓库中（或本机没有 git），所以没有变更记录。用 git 管理 responsibilities/ 后，这里会列出每次提交改了什么。"
SHALLOW = ("这是一个浅克隆（shallow clone），git 历史不完整，无法可靠地列出变更记录。"
           "在仓库中运行 git fetch --unshallow 取得完整历史后重新生成即可。")


def head_commit(data_dir: Path) -> str:
    """The current commit of the data's repository, or "" without git."""
    try:
        return diffs.git(diffs.repo_root(data_dir), "rev-parse", "HEAD").strip()
    except diffs.GitError:
        return ""


def history(data_dir: Path, limit: int = 50) -> History:
    try:
        repo = diffs.repo_root(data_dir)
        data_rel = data_dir.resolve().relative_to(repo.resolve()).as_posix()
        if diffs.git(repo, "rev-parse", "--is-shallow-repository").strip() == "true":
            return History(False, SHALLOW)
        log = diffs.git(repo, "log", "--first-parent", f"--max-count={limit + 1}", "--format=%H%x1f%P%x1f%cs%x1f%s",
                        "--", data_rel)
    except (diffs.GitError, ValueError):
        return History(False, NO_GIT)
    rows = [line.split("\x1f") for line in log.splitlines() if line]
    truncated = len(rows) > limit
    sides: dict[str | None, diffs.Side] = {}

    def side(sha: str | None) -> diffs.Side:
        if sha not in sides:
            sides[sha] = diffs.Side(sha or "", diffs.EMPTY) if sha is None \
                else diffs.load_side(repo, data_rel, sha, sha[:8])
        return sides[sha]

    commits = []
    for sha, parents, date, subject in rows[:limit]:
        parent = parents.split()[0] if parents else None
        comparison = diffs.compare(side(parent), side(sha))
        commits.append(Commit(sha, date, subject, tuple(comparison.changes)))
    by_record: dict[str, list[tuple[Commit, diffs.Change]]] = {}
    names: dict[tuple[str, str], str] = {}  # so a record deleted since keeps its name in every entry about it
    for commit in commits:
        for change in commit.changes:
            for key in {change.id, *change.units}:
                by_record.setdefault(key, []).append((commit, change))
            if change.carried_name:
                names.setdefault((change.record, change.id), change.carried_name)
    return History(True, "", tuple(commits), truncated, by_record, names)
