"""A migration operation that applies many schema operations with one rendering of the models' state.

Django re-renders a changed model and every model related to it after each operation of a migration (``AddField``,
``AddIndex``...), and renders the states before and after it for its database change. For a migration that adds
the same column and index to twenty related kinds and their audit-trail tables, that rendering is nearly all its
time (37.5 s on an empty SQLite database for 64 operations, most of it rendering; the SQL itself takes well under
a second). ``Together`` applies its operations' state changes to a state whose rendering is dropped first, so it
is rendered once afterwards, and runs their database changes between the state before them all and the state after
them all. Undoing them (``migrate`` back) goes one operation at a time, as Django would.

Only for operations that each change a different table or only add to one (adding a column to a table and then an
index on that column is fine: the index is made from the state after them all, once the column is there); not for
two operations that rebuild the same table.
"""

from __future__ import annotations

from django.db.migrations.operations.base import Operation


class Together(Operation):
    reversible = True
    reduces_to_sql = False

    def __init__(self, operations):
        self.operations = list(operations)

    def deconstruct(self):
        return self.__class__.__qualname__, [self.operations], {}

    def state_forwards(self, app_label, state):
        state.__dict__.pop("apps", None)  # rendered once when next read, not reloaded after each operation
        for operation in self.operations:
            operation.state_forwards(app_label, state)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        for operation in self.operations:
            operation.database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        """Undone one by one between the states around each (rendered for each: a rare path, kept exact)."""
        states = [to_state]
        for operation in self.operations:
            state = states[-1].clone()
            operation.state_forwards(app_label, state)
            states.append(state)
        for n in reversed(range(len(self.operations))):
            self.operations[n].database_backwards(app_label, schema_editor, states[n + 1], states[n])

    def describe(self):
        return f"{len(self.operations)} operations applied together"

    @property
    def migration_name_fragment(self):
        return "together"
