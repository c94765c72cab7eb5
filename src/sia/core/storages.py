"""Media on S3-compatible object storage (``SIA_MEDIA_STORAGE=s3``, django-storages; the ``[s3]`` extra).

The bucket stays private: objects are written with the ``private`` ACL and read back by SIA alone. A file's URL
is SIA's own path under MEDIA_URL (``/media/logos/...`` is the only one served, by a view checking the user;
evidence, documents and workbooks are served by the views of their objects), never the bucket's address, signed
or not: no link handed to a browser bypasses SIA's permission checks.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    default_acl = "private"
    file_overwrite = False  # as on the file system: a second file of one name gets a name of its own

    def url(self, name, parameters=None, expire=None, http_method=None):
        return settings.MEDIA_URL + filepath_to_uri(name).lstrip("/")
