"""Front-end packages from node_modules, served under static/vendor/<name>/ — only the files listed.

``settings.VENDOR_ASSETS`` maps a name to (its folder under ``settings.NODE_MODULES``, glob patterns of the files
the pages use). Collecting whole packages copied and compressed ~17 MB nobody loads on every start.
"""

from __future__ import annotations

import fnmatch
import os

from django.conf import settings
from django.contrib.staticfiles import utils
from django.contrib.staticfiles.finders import FileSystemFinder
from django.core.files.storage import FileSystemStorage


class VendorFinder(FileSystemFinder):
    """`FileSystemFinder` over the vendor folders, limited to their listed files."""

    def __init__(self, app_names=None, *args, **kwargs):
        self.locations, self.storages, self.patterns = [], {}, {}
        for name, (sub, patterns) in settings.VENDOR_ASSETS.items():
            if not settings.VENDOR_AVAILABLE.get(name):
                continue
            prefix, root = f"vendor/{name}", str(settings.NODE_MODULES / sub)
            self.locations.append((prefix, root))
            storage = FileSystemStorage(location=root)
            storage.prefix = prefix
            self.storages[root] = storage
            self.patterns[root] = list(patterns)

    def check(self, **kwargs):
        return []

    def _listed(self, root: str, relative: str) -> bool:
        relative = relative.replace(os.sep, "/")
        return any(fnmatch.fnmatchcase(relative, p) for p in self.patterns[root])

    def find_location(self, root, path, prefix=None):
        relative = path.removeprefix(f"{prefix}{os.sep}") if prefix else path
        if prefix and relative == path:
            return None
        return super().find_location(root, path, prefix) if self._listed(root, relative) else None

    def list(self, ignore_patterns):
        for _prefix, root in self.locations:
            if os.path.isdir(root):
                storage = self.storages[root]
                for path in utils.get_files(storage, ignore_patterns):
                    if self._listed(root, path):
                        yield path, storage
