"""The ArchiMate 3.1 Model Exchange File Format: export of an instansi's architecture (``export``), import of a file
from Archi or another tool as a preview and an all-or-nothing commit (``importer``), both read from the declarations
(``mapping``)."""
