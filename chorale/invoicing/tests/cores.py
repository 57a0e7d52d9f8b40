"""The engine's two cores, for the tests that run both: the compiled one (`make install`
builds it, scripts/build_core.py) and the pure-Python fallback. They must agree exactly."""

import contextlib

import pytest

from chorale.invoicing import compiled

CORES = ("compiled", "pure")


@contextlib.contextmanager
def using(core: str):
    """The engine on `core` for the time of the block (a document read before keeps the tree
    it was walked into)."""
    if core == "compiled" and compiled.built is None:
        pytest.skip("the compiled core is not built here (test_compiled_core says why that fails)")
    saved = compiled.CORE
    compiled.CORE = compiled.built if core == "compiled" else None
    try:
        yield
    finally:
        compiled.CORE = saved
