"""The router process keeps the cyclic garbage collector off its hot path."""

from __future__ import annotations

import gc

from router.cli import _GC_THRESHOLD, _tune_garbage_collector


def test_start_up_objects_are_frozen_and_young_collections_are_rarer() -> None:
    threshold = gc.get_threshold()
    try:
        _tune_garbage_collector()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (_GC_THRESHOLD, *threshold[1:])
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
