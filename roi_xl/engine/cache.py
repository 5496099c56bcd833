"""The compiled engines kept for a process's next workbooks: the translated plans (fastpath.py) and
the formulas models, each by its formula key.

Kept apart from model.py so that holding a cache imports nothing heavy: the formulas model (and with
it openpyxl) loads only when a workbook needs it.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import CompiledWorkbook
    from .workbook import LoadedWorkbook


class ModelCache:
    """Compiled models by formula fingerprint, least recently used dropped beyond `size`."""

    def __init__(self, size: int = 32):
        self.size = size
        self._models: OrderedDict[str, CompiledWorkbook] = OrderedDict()
        self.fast_plans: OrderedDict = OrderedDict()  # roi_xl.engine.fastpath's, by formula key
        self.hits = self.misses = 0

    def get(self, loaded: LoadedWorkbook) -> CompiledWorkbook:
        model = self._models.get(loaded.fingerprint)
        if model is not None:
            self.hits += 1
            self._models.move_to_end(loaded.fingerprint)
            return model
        self.misses += 1
        from .model import CompiledWorkbook

        model = CompiledWorkbook(loaded)
        if not model.shared:
            return model
        self._models[loaded.fingerprint] = model
        while len(self._models) > self.size:
            self._models.popitem(last=False)
        return model
