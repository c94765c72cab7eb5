"""Publishing: the architecture leaves SIA as documents people sign.

The Dokumen Arsitektur SPBE (DOCX): ``models`` (the requested documents and their files), ``jobs`` (requesting one
and the background job that writes it), ``content`` (what goes in, read through the permission module as the
requester sees it), ``builder`` and ``docx_parts`` (python-docx), ``pictures`` (the insights diagrams at print
resolution), ``policies``, ``views`` and ``api`` (pages and API).

This app sits at the top: it reads ``sia.architecture``, ``sia.insights`` (diagrams) and ``sia.roadmap`` (the Peta
Rencana), and the ``sia.exchange`` helpers; none of them imports it.
"""
