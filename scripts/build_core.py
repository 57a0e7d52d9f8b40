"""Build the validation engine's compiled core (Cython over lxml's C API) in place, next to its
sources: `make install` runs it. Where it cannot be built (no C compiler, no Python headers),
it says so and the engine runs in pure Python, with the same verdicts.

    python scripts/build_core.py
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [
    "chorale/invoicing/_document.pyx",
    "chorale/invoicing/_core.pyx",
    "chorale/invoicing/_read.pyx",
    "chorale/invoicing/_xpath.pyx",
]


def main() -> int:
    os.chdir(ROOT)
    try:
        import Cython
        import lxml
        from Cython.Build import cythonize
        from setuptools import Extension, setup

        extensions = [
            Extension(
                source[:-4].replace("/", "."),
                [source],
                include_dirs=lxml.get_include(),
                extra_compile_args=["-Wno-unused-function"],  # in lxml's own header
            )
            for source in SOURCES
        ]
        # Rebuilt whenever lxml or Cython changes: the core reads lxml's own structures.
        built_with = f"lxml {lxml.__version__}, Cython {Cython.__version__}\n"
        stamp = ROOT / "build" / "core" / "built-with"
        force = not stamp.exists() or stamp.read_text() != built_with
        setup(
            name="chorale-core",
            script_args=[
                "-q", "build_ext", "--inplace", "--build-temp", "build/core",
                *(["--force"] if force else []),
            ],
            ext_modules=cythonize(extensions, build_dir="build/core", quiet=True, force=force),
        )  # fmt: skip
        stamp.write_text(built_with)
    except (Exception, SystemExit) as error:  # any failure leaves the fallback
        print(
            f"The compiled core was not built ({error}): the engine runs in pure Python.",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
