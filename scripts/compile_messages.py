"""Compile the translation catalogues (locale/*/LC_MESSAGES/*.po) into the .mo files Django
reads, with polib (no GNU gettext needed); a catalogue already up to date is left alone.

    python scripts/compile_messages.py [--force]
"""

import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def main() -> None:
    force = "--force" in sys.argv
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if force or not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            polib.pofile(str(po)).save_as_mofile(str(mo))
            print(f"compiled {mo.relative_to(LOCALE.parent)}")


if __name__ == "__main__":
    main()
