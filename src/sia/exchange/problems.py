"""A problem found in an uploaded workbook: where it is (sheet, row, column) and what is wrong."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sia.core.workbooks import FileRejected  # noqa: F401  (raised by the checks, caught with the problems)

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None  # as Excel shows it (1 = first row); None for the whole file or sheet
    column: str  # the column header as written in the file, or the field's label
    message: str
    level: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.level == ERROR

    def as_dict(self) -> dict:
        return asdict(self)

    def __str__(self):
        where = " / ".join(str(part) for part in (self.sheet, self.row, self.column) if part)
        return f"{where}: {self.message}" if where else self.message




class ProblemList:
    """Its ``problems`` split into errors (any one refuses the file) and warnings (shown, not refusing); for the
    plans of an upload (architecture workbooks, the roadmap's, ArchiMate files)."""

    problems: list

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]
