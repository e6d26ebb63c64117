"""What a change to the data means: record-level changes between two versions, read through git.

Both sides go through the same loader, validator and model as everything else. Stable ids are what make the
comparison possible: a duty with the same id in another file has moved, not been removed and added.
"""
from __future__ import annotations

import difflib
import io
import subprocess
import tarfile
import tempfile
import dataclasses
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable

from .findings import Report
from .labels import CHANGE_KINDS, DEADLINE_KINDS
from .model import Dataset, Deadline, Duty
from .pipeline import load_dataset

KINDS = CHANGE_KINDS  # every kind of change, with its name in Chinese (generator.labels)
# What trainers teach from, compared field by field: (record name in changes, Dataset attribute, what "changed" is
# called). Duties, units and documents have their own, finer comparisons above.
GUIDANCE = (("referral", "referrals", "changed", "situation"), ("risk-level", "risk_levels", "changed", "name"),
            ("chain", "reporting_chains", "changed", "name"), ("role", "roles", "changed", "name"),
            ("term", "terms", "changed", "term"), ("line", "lines", "updated", "name"))


@dataclass(frozen=True)
class Change:
    kind: str
    record: str  # duty, unit or document
    id: str
    before: Any = None
    after: Any = None
    units: tuple[str, ...] = ()  # the units this change concerns: who should read it
    detail: str = ""
    diff: tuple[tuple[str, str], ...] | None = None  # character-level edit script for text: ("=", "-", "+", text)

    @property
    def title(self) -> str:
        return KINDS[self.kind]

    @property
    def carried_name(self) -> str | None:
        """The name an added or removed record carries in the change itself (it outlives the record)."""
        name = self.after or self.before
        return name if self.kind.endswith(("-added", "-removed")) and isinstance(name, str) else None

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["units"] = list(self.units)
        if self.diff is None:
            data.pop("diff")
        else:
            data["diff"] = [list(x) for x in self.diff]
        return data


EMPTY = Dataset({}, {}, {}, {}, {})


@dataclass(frozen=True)
class Side:
    label: str  # the revision as the user wrote it, or "工作区"
    dataset: Dataset | None
    report: Report | None = None  # set when the side failed validation


@dataclass(frozen=True)
class Comparison:
    before: Side
    after: Side
    changes: list[Change] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.before.dataset is not None and self.after.dataset is not None


# ---------------------------------------------------------------- git

class GitError(Exception):
    pass


def git(repo: Path, *args: str, binary: bool = False) -> Any:
    try:
        proc = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=not binary, timeout=120)
    except FileNotFoundError:
        raise GitError("没有找到 git 程序。") from None
    if proc.returncode != 0:
        err = proc.stderr if isinstance(proc.stderr, str) else proc.stderr.decode("utf-8", "replace")
        raise GitError(err.strip())
    return proc.stdout


def repo_root(path: Path) -> Path:
    try:
        return Path(git(path if path.is_dir() else path.parent, "rev-parse", "--show-toplevel").strip())
    except GitError as exc:
        if "not a git repository" not in str(exc):
            raise
        raise GitError(f"数据目录 {path} 不在 git 仓库中，没有可比较的版本。先用 git 管理数据"
                       "（git init，再 git add、git commit），以后每次改动都能比较。") from None


@dataclass(frozen=True)
class Revisions:
    before: str | None  # a commit id; None means the working tree
    after: str | None
    before_label: str
    after_label: str


def resolve_revisions(repo: Path, rev_a: str | None, rev_b: str | None) -> Revisions:
    """What to compare. No revision: HEAD against the working tree; one: it against the working tree; two: the
    first against the second. A..B compares A with B; A...B compares B with where it branched from A."""
    if rev_a and rev_b is None and ".." in rev_a:
        three = "..." in rev_a
        left, right = rev_a.split("..." if three else "..", 1)
        left, right = left or "HEAD", right or "HEAD"
        left_id, right_id = _commit(repo, left), _commit(repo, right)
        before = git(repo, "merge-base", left_id, right_id).strip() if three else left_id
        label = f"{left} 与 {right} 的分叉点" if three else left
        return Revisions(before, right_id, label, right)
    before = _commit(repo, rev_a or "HEAD")
    if rev_b:
        return Revisions(before, _commit(repo, rev_b), rev_a or "HEAD", rev_b)
    return Revisions(before, None, rev_a or "HEAD", "工作区")


def _commit(repo: Path, rev: str) -> str:
    try:
        return git(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").strip()
    except GitError:
        raise GitError(f"git 中找不到版本 {rev}。请检查分支名、标签或提交编号（git log --oneline 可以列出）。") from None


def load_side(repo: Path, data_rel: str, rev: str | None, label: str) -> Side:
    """The data as it was at `rev` (None: the working tree), through the normal pipeline."""
    if rev is None:
        result = load_dataset(repo / data_rel, names_from=repo)
        return Side(label, result.dataset, None if result.dataset else result.report)
    with tempfile.TemporaryDirectory(prefix="qingdan-rev-") as tmp:
        root = Path(tmp)
        listed = git(repo, "ls-tree", "-r", "--name-only", rev, "--", data_rel).strip()
        if not listed:
            return Side(label, EMPTY)  # the data folder did not exist yet at that revision
        archive = git(repo, "archive", "--format=tar", rev, "--", data_rel, binary=True)
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(root, filter="data")
        result = load_dataset(root / data_rel, names_from=root)
        return Side(label, result.dataset, None if result.dataset else result.report)


def compare_revisions(repo: Path, data_rel: str, rev_a: str | None = None, rev_b: str | None = None) -> Comparison:
    revs = resolve_revisions(repo, rev_a, rev_b)
    return compare(load_side(repo, data_rel, revs.before, revs.before_label),
                   load_side(repo, data_rel, revs.after, revs.after_label))


def compare(before: Side, after: Side) -> Comparison:
    """Record-level changes; a side that failed validation becomes one data-invalid change carrying its errors."""
    broken = [Change("data-invalid", "data", side.label, None, [f.as_dict() for f in side.report.errors],
                     detail=side.report.summary()) for side in (before, after) if side.dataset is None]
    if broken:
        return Comparison(before, after, broken)
    return Comparison(before, after, changes(before.dataset, after.dataset))


# ---------------------------------------------------------------- the comparison

def text_diff(a: str, b: str) -> tuple[tuple[str, str], ...]:
    """Character-level edit script; characters, not words, because Chinese has no spaces."""
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("=", a[i1:i2]))
        else:
            if i2 > i1:
                out.append(("-", a[i1:i2]))
            if j2 > j1:
                out.append(("+", b[j1:j2]))
    return tuple(out)


def changes(a: Dataset, b: Dataset) -> list[Change]:
    out: list[Change] = []
    out += _documents(a, b)
    out += _units(a, b)
    for did in sorted(a.duties.keys() | b.duties.keys()):
        old, new = a.duties.get(did), b.duties.get(did)
        if old is None:
            out.append(Change("duty-added", "duty", did, None, new.title, _owners(new), _who_when(b, new)))
        elif new is None:
            out.append(Change("duty-removed", "duty", did, old.title, None, _owners(old), _who_when(a, old)))
        else:
            out += _duty(a, b, old, new)
    for record, table, changed, name in GUIDANCE:
        out += _guidance(record, changed, name, getattr(a, table), getattr(b, table), a, b)
    return out


def _guidance(record: str, changed: str, name: str, a: Any, b: Any, old_data: Dataset,
              new_data: Dataset) -> list[Change]:
    """Added, removed and changed records of one kind; a change lists the fields that differ, old and new. An added
    or removed record carries its name (`name` field), which outlives the record in the change log."""
    out = []
    for rid in sorted(a.keys() | b.keys()):
        old, new = a.get(rid), b.get(rid)
        units = tuple(sorted(set(_units_in(old)) | set(_units_in(new))))
        if old is None:
            out.append(Change(f"{record}-added", record, rid, None, getattr(new, name), units))
        elif new is None:
            out.append(Change(f"{record}-removed", record, rid, getattr(old, name), None, units))
        elif old != new:
            fields = [f.name for f in dataclasses.fields(old) if getattr(old, f.name) != getattr(new, f.name)]
            before, after = getattr(old, fields[0]), getattr(new, fields[0])
            edits = text_diff(before, after) if len(fields) == 1 and isinstance(before, str) \
                and isinstance(after, str) else None  # one text edited: show the edit, not both texts
            if fields == ["steps"] and [(x.role, x.unit) for x in before] == [(x.role, x.unit) for x in after]:
                # the same people, doing something else: the steps' texts, edited (a changed sequence of people
                # reads best as the two sequences)
                edits = text_diff(_steps_text(before, old_data), _steps_text(after, new_data))
            out.append(Change(f"{record}-{changed}", record, rid, {f: _plain_value(getattr(old, f)) for f in fields},
                              {f: _plain_value(getattr(new, f)) for f in fields}, units, diff=edits))
    return out


def _steps_text(steps: tuple, data: Dataset) -> str:
    def who(step: Any) -> str:
        return data.roles[step.role].name if step.role else data.units[step.unit].label

    return "\n".join(f"{who(s)}：{s.does or ''}" + (f"（{s.when}）" if s.when else "") for s in steps)


def _units_in(record: Any) -> list[str]:
    """The units a referral sends to or tells, or a reporting chain passes through: they should read its changes."""
    if record is None:
        return []
    return [*getattr(record, "to", ()), *getattr(record, "notify", ()),
            *(step.unit for step in getattr(record, "steps", ()) if step.unit)]


def _plain_value(value: Any) -> Any:
    """A field's value as JSON data: deadlines in words, steps as mappings, tuples as lists."""
    if isinstance(value, Deadline):
        return value.describe()
    if isinstance(value, tuple):
        return [_plain_value(v) for v in value]
    if dataclasses.is_dataclass(value):
        return {k: v for k, v in dataclasses.asdict(value).items() if v is not None}
    return value


def _who_when(data: Dataset, duty: Duty) -> str:
    """牵头：…；配合：…；时限：… — what a unit reading about an added or removed duty needs to know."""
    parts = [f"牵头：{'、'.join(data.units[u].label for u in duty.lead)}"]
    if duty.support:
        parts.append(f"配合：{'、'.join(data.units[u].label for u in duty.support)}")
    parts.append(f"时限：{'；'.join(d.describe() for d in duty.deadlines) or '未定'}")
    return "；".join(parts)


def _owners(*duties: Duty) -> tuple[str, ...]:
    return tuple(sorted({u for d in duties for u in d.lead + d.support}))


def _duty(a: Dataset, b: Dataset, old: Duty, new: Duty) -> list[Change]:
    units = _owners(old, new)
    did = old.id
    out: list[Change] = []

    def add(kind: str, before: Any, after: Any, detail: str = "", diff: Any = None,
            concerns: Iterable[str] | None = None) -> None:
        """`concerns`: the units whose own work this change alters; by default everyone on the duty."""
        who = tuple(sorted(set(concerns))) if concerns is not None else units
        out.append(Change(kind, "duty", did, before, after, who, detail, diff))

    old_file, new_file = a.locations.get(did), b.locations.get(did)
    if old_file and new_file and old_file.file != new_file.file:
        add("duty-moved", old_file.file, new_file.file)
    # A unit that moves between lead and support is one change, told with the lead change (原为配合 / 改为配合),
    # not also as a supporter lost or gained, which read like the unit had dropped out.
    promoted = [u for u in new.lead if u in old.support and u not in old.lead]
    demoted = [u for u in old.lead if u in new.support and u not in new.lead]
    moves = "；".join([f"{'、'.join(b.units[u].label for u in promoted)}原为配合单位"] * bool(promoted)
                     + [f"{'、'.join(a.units[u].label for u in demoted)}改为配合单位"] * bool(demoted))
    gone, came = [u for u in old.lead if u not in new.lead], [u for u in new.lead if u not in old.lead]
    if gone and came:
        add("lead-replaced", list(old.lead), list(new.lead), moves, concerns=gone + came)
    elif came:
        add("lead-added", None, came, moves, concerns=came)
    elif gone:  # the leads that remain now carry the duty without them: their work changed too
        add("lead-removed", gone, None, moves, concerns=gone + list(new.lead))
    gone = [u for u in old.support if u not in new.support and u not in promoted]
    came = [u for u in new.support if u not in old.support and u not in demoted]
    if came:
        add("support-added", None, came, concerns=came)
    if gone:
        add("support-removed", gone, None, concerns=gone)
    if old.lead_basis != new.lead_basis:
        add("lead-basis-changed", old.lead_basis, new.lead_basis, concerns=new.lead)
    for name, kind in (("line", "line-changed"), ("document", "document-changed"), ("clause", "clause-changed")):
        if getattr(old, name) != getattr(new, name):
            add(kind, getattr(old, name), getattr(new, name))
    for name, kind in (("title", "title-changed"), ("summary", "summary-changed")):
        if getattr(old, name) != getattr(new, name):
            add(kind, getattr(old, name), getattr(new, name), diff=text_diff(getattr(old, name), getattr(new, name)))
    if old.actions != new.actions:
        before, after = "\n".join(old.actions), "\n".join(new.actions)
        add("actions-changed", list(old.actions), list(new.actions), diff=text_diff(before, after))
    for name, kind in (("roles", "roles-changed"), ("depends_on", "depends-changed"), ("basis", "basis-changed")):
        if set(getattr(old, name)) != set(getattr(new, name)):
            add(kind, list(getattr(old, name)), list(getattr(new, name)))
    out += [Change(c.kind, "duty", did, c.before, c.after, units, c.detail) for c in _deadlines(old, new)]
    return out


def _pair_deadlines(old: Iterable[Deadline], new: Iterable[Deadline]) -> tuple[list, list, list]:
    """Match deadlines by label where they have one, then by position."""
    old, new = list(old), list(new)
    pairs, left, right = [], list(range(len(old))), list(range(len(new)))
    for i in list(left):
        if old[i].label:
            j = next((j for j in right if new[j].label == old[i].label), None)
            if j is not None:
                pairs.append((old[i], new[j]))
                left.remove(i)
                right.remove(j)
    for i, j in zip(list(left), list(right)):
        pairs.append((old[i], new[j]))
        left.remove(i)
        right.remove(j)
    return pairs, [old[i] for i in left], [new[j] for j in right]


def _deadlines(old: Duty, new: Duty) -> list[Change]:
    out = []
    pairs, removed, added = _pair_deadlines(old.deadlines, new.deadlines)
    for x, y in pairs:
        if x == y:
            continue
        kinds = f"{DEADLINE_KINDS[x.kind]} → {DEADLINE_KINDS[y.kind]}" if x.kind != y.kind else ""
        if x.due and y.due and x.due != y.due:  # also across kinds: 到2022年6月 → 2022年3月1日 is earlier
            days = (y.due - x.due).days
            kind = "deadline-earlier" if days < 0 else "deadline-later"
            out.append(Change(kind, "duty", old.id, x.due.isoformat(), y.due.isoformat(),
                              detail=f"{'提前' if days < 0 else '推后'} {abs(days)} 天" + (f"（{kinds}）" if kinds else "")))
        elif kinds:
            out.append(Change("deadline-kind-changed", "duty", old.id, x.describe(), y.describe(), detail=kinds))
        elif _notes_only(x) == _notes_only(y):  # the same dates: only what is said about them changed
            out.append(Change("note-changed", "duty", old.id, x.describe(), y.describe(), detail=_note_words(x, y)))
        elif x.describe() != y.describe() or x.text != y.text:
            out.append(Change("deadline-changed", "duty", old.id, x.describe(), y.describe()))
    out += [Change("deadline-removed", "duty", old.id, x.describe(), None) for x in removed]
    out += [Change("deadline-added", "duty", old.id, None, y.describe()) for y in added]
    return out


def _notes_only(deadline: Deadline) -> Deadline:
    """The deadline without what is said about it: its name, the source's wording, the editor's inference."""
    return dataclasses.replace(deadline, label=None, text=None, inferred=None)


def _note_words(x: Deadline, y: Deadline) -> str:
    words = []
    if x.inferred != y.inferred:
        words.append("标明是编者推定" if not x.inferred else "不再标为编者推定" if not y.inferred else "编者推定的理由改写")
    if x.label != y.label:
        words.append("所管部分的名称改动")
    if x.text != y.text:
        words.append("记录的原文说法改动")
    return "日期没有变；" + "，".join(words)


def _units(a: Dataset, b: Dataset) -> list[Change]:
    out = []
    for uid in sorted(a.units.keys() | b.units.keys()):
        old, new = a.units.get(uid), b.units.get(uid)
        if old is None:
            out.append(Change("unit-added", "unit", uid, None, new.name, (uid,)))
            continue
        if new is None:
            orphaned = [d.id for d in a.duties.values() if d.lead == (uid,)]
            fate = []
            for did in orphaned:
                now = b.duties.get(did)
                fate.append(f"{did}（已删除）" if now is None else f"{did}（现由 {'、'.join(now.lead)} 牵头）")
            out.append(Change("unit-removed", "unit", uid, old.name, None, (uid,),
                              detail=("原来由它单独牵头的职责：" + "、".join(fate)) if fate else ""))
            continue
        if old.name != new.name:
            out.append(Change("unit-renamed", "unit", uid, old.name, new.name, (uid,)))  # short: old → new reads best
        if old.parent != new.parent:
            out.append(Change("unit-reparented", "unit", uid, old.parent, new.parent, (uid,)))
        names = ("short_name", "aliases", "kind", "level", "jurisdiction")
        changed = {f: (getattr(old, f), getattr(new, f)) for f in names if getattr(old, f) != getattr(new, f)}
        if changed:
            out.append(Change("unit-changed", "unit", uid, {k: v[0] for k, v in changed.items()},
                              {k: v[1] for k, v in changed.items()}, (uid,)))
    return out


def _documents(a: Dataset, b: Dataset) -> list[Change]:
    out = []
    for did in sorted(a.documents.keys() | b.documents.keys()):
        old, new = a.documents.get(did), b.documents.get(did)
        if old is None:
            out.append(Change("document-added", "document", did, None, new.title))
        elif new is None:
            out.append(Change("document-removed", "document", did, old.title, None))
        elif old != new:
            names = [f for f in ("title", "short_title", "number", "issuer", "issued", "jurisdiction", "source")
                     if getattr(old, f) != getattr(new, f)]
            out.append(Change("document-updated", "document", did, {f: str(getattr(old, f)) for f in names},
                              {f: str(getattr(new, f)) for f in names}))
    return out
