"""The cache the workers of one machine share (``BORDERDESK_CACHE_DIR``): Django's file cache, culled less often.

Django's ``FileBasedCache`` lists every file of its folder at every write to see whether it holds more than
``MAX_ENTRIES`` (``_cull``): with 2.000 entries that listing is ~1,9 ms of the ~2,3 ms a write costs, and a page
computed after a write makes three to five writes (the page, its key, the "being computed" mark, its parts). Here
each process looks every ``CULL_EVERY`` writes instead: the folder may exceed ``MAX_ENTRIES`` by that many writes
per process before a third of it is removed, as Django does.
"""

from __future__ import annotations

import itertools

from django.core.cache.backends.filebased import FileBasedCache

CULL_EVERY = 100


class FileCache(FileBasedCache):
    """``FileBasedCache`` whose writes look at the folder's size every ``CULL_EVERY`` writes (see the module)."""

    def __init__(self, dir, params):  # noqa: A002 - Django's name
        super().__init__(dir, params)
        self._writes = itertools.count(1)  # next() is atomic: the threads of a worker share it

    def _cull(self) -> None:
        if next(self._writes) % CULL_EVERY == 0:
            super()._cull()  # type: ignore[misc]  # Django's private method, not in its stubs
