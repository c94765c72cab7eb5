"""The Dokumen Arsitektur SPBE: the instansi's architecture and roadmap written out as a Word document (DOCX).

``models`` (the requested documents and their files), ``jobs`` (requesting one and the background job that
writes it), ``content`` (what goes in, read through the permission module as the requester sees it),
``builder`` and ``docx_parts`` (python-docx), ``policies``, ``views`` and ``api`` (pages and API).

This package sits above the rest of ``exchange``: it reads ``sia.insights`` (diagrams) and ``sia.roadmap`` (the
Peta Rencana), which themselves never import ``exchange``.
"""
