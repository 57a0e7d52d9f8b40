"""The validation engine's compiled core (`_core.pyx`, with `_xpath.pyx`, `_read.pyx` and
`_document.pyx`, which it hands on: Cython over lxml's C API), which `make install` builds
(scripts/build_core.py): the document's walk (`formats.tree`), the readers' look-ups and the
syntax rules' dispatch (`validation.structure`) with no Python code per element. Where it is
not built, or with CHORALE_PURE_PYTHON=1, the same steps run in Python, with the same result;
the tests run both (`CORE` is read at each call)."""

import os
from types import MappingProxyType
from typing import Any

NO_CHILDREN = MappingProxyType({})  # a leaf's children in a `Tree`: shared, read-only

built: Any
try:
    from . import _core  # (it imports NO_CHILDREN from here: defined above)
except ImportError:  # not built: the engine runs in Python
    built = None
else:
    built = _core
CORE = None if os.environ.get("CHORALE_PURE_PYTHON") == "1" else built
