"""The platform instances' own logs (embedded stack only): what they wrote since a mark, and any exception in it."""

from __future__ import annotations

from pathlib import Path

from support.report.evidence import attach_text

PROBLEMS = ("Traceback (most recent call last)", "Exception in ASGI application", " ERROR ")


class PlatformLogs:
    def __init__(self, paths: str | None) -> None:
        self.paths = [Path(p) for p in (paths or "").split(",") if p]

    @property
    def readable(self) -> bool:
        return bool(self.paths) and all(p.exists() for p in self.paths)

    def mark(self) -> list[int]:
        return [p.stat().st_size for p in self.paths]

    def lines_since(self, mark: list[int], containing: str) -> list[str]:
        """Lines of the logs written after ``mark`` that contain ``containing``; those lines are attached."""
        found = []
        for path, offset in zip(self.paths, mark, strict=True):
            found += [line for line in _read_from(path, offset)[0].splitlines() if containing in line]
        attach_text(f"platform log lines with {containing!r}", "\n".join(found) or "(none)")
        return found

    def problems_since(self, mark: list[int]) -> list[str]:
        """Lines of the logs written after ``mark`` that report an exception or an error; attached as evidence."""
        found, written = [], []
        for path, offset in zip(self.paths, mark, strict=True):
            text, _ = _read_from(path, offset)
            written.append(f"== {path.name} ==\n{text}")
            found += [line for line in text.splitlines() if any(p in line for p in PROBLEMS)]
        attach_text("platform logs written meanwhile", "\n".join(written) or "(nothing)")
        return found

    def read_on(self, mark: list[int]) -> tuple[list[str], list[int]]:
        """Each log's text written after ``mark`` (nothing attached), and the mark just after it: for a reader
        that follows the logs as they grow."""
        read = [_read_from(path, offset) for path, offset in zip(self.paths, mark, strict=True)]
        return [text for text, _ in read], [end for _, end in read]


def _read_from(path: Path, offset: int) -> tuple[str, int]:
    """What the log holds past ``offset``, and where it ends; all of it when the log is shorter now (its
    instance started again since the mark and began its log afresh)."""
    with path.open("rb") as log:
        log.seek(0, 2)
        log.seek(offset if log.tell() >= offset else 0)
        return log.read().decode(errors="replace"), log.tell()
