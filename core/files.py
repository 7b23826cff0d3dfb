"""Files nobody may download by address: kept outside MEDIA_ROOT, which the web server hands to anyone who asks.

A view that has checked who asks reads them (`FileResponse(field.open())`). The folder is PRIVATE_MEDIA_ROOT,
read at each use so that tests may point it to a throw-away folder.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateFileStorage(FileSystemStorage):
    """A folder of files with no URL: `url()` raises, so no template can link to one by mistake."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no address; a view that checks who asks serves them.")
