"""Column kinds: one class per way a cell is written and read.

Each kind knows everything the exchange needs about its cells: the header comment (``hint``), the
template's dropdown (``options``, ``dropdown_error``) and any sheet its cells point into
(``companion``), the export (``prefetch`` + ``export``, ``number_format``), what an upload must load
up front (``related_paths``, ``preload``) and how a cell is parsed, checked and applied to the row's
object (``read``; problems are raised as :class:`CellError`, which the importer reports with the
sheet, row and column). Class flags tell the importer and ``Lookups`` what a kind is to the row
(``identifies``, ``read_first``, ``follows``, ``many``, ``imported``); they never ask a column's
type. Each kind says which model fields it ``handles``; ``columns.column_class`` gives a field the
first kind of ``KINDS`` that does. A new kind is a new subclass listed in ``KINDS`` (the round-trip
test then covers it).

base.py holds ``SheetColumn``; plain.py the ID, text, choice, flag, number and date kinds;
related.py the kinds naming one related row; many.py those naming several; inverse.py the arrows of a kind
group's sheets (``→ X (Dependency)`` headers, and the export-only ``← X`` columns: ``InverseColumn`` handles no
field of the sheet's kind, so it is not in ``KINDS``; ``columns`` adds it).
"""

from .base import ALIASES, CHUNK, FUNCTION_SHEET, READ_ONLY_FIELDS, Companion, SheetColumn, chunks, target_labels
from .inverse import InverseColumn, dependency_header, header_key, inverse_columns, kind_label
from .many import DepartmentsColumn, FunctionsColumn, LinksColumn, ManyColumn, ValueListsColumn
from .plain import (
    ChoiceColumn, CodeColumn, DateColumn, DecimalColumn, FlagColumn, IntegerColumn, ReadOnlyColumn, TextColumn,
)
from .related import (
    DepartmentColumn, LinkColumn, OwnerColumn, ReferenceColumn, RelatedColumn, UnitColumn, ValueListColumn,
)

# In the order ``columns.column_class`` asks them: the first kind that ``handles`` a field writes and reads it
# (the ID and the status before choices and text, the owning OPD before other OPDs, choices before flags and text).
KINDS = (CodeColumn, ReadOnlyColumn, OwnerColumn, DepartmentColumn, ReferenceColumn, ValueListColumn, UnitColumn,
         LinkColumn, LinksColumn, FunctionsColumn, ValueListsColumn, DepartmentsColumn, ChoiceColumn, FlagColumn,
         IntegerColumn, DecimalColumn, DateColumn, TextColumn)

__all__ = [
    "ALIASES", "CHUNK", "FUNCTION_SHEET", "KINDS", "READ_ONLY_FIELDS", "ChoiceColumn", "CodeColumn", "Companion",
    "DateColumn", "DecimalColumn", "DepartmentColumn", "DepartmentsColumn", "FlagColumn", "FunctionsColumn",
    "IntegerColumn", "InverseColumn", "LinkColumn", "LinksColumn", "ManyColumn", "OwnerColumn", "ReadOnlyColumn",
    "ReferenceColumn", "RelatedColumn", "SheetColumn", "TextColumn", "UnitColumn", "ValueListColumn",
    "ValueListsColumn", "chunks", "dependency_header", "header_key", "inverse_columns", "kind_label", "target_labels",
]
