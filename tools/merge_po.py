"""A git merge driver for gettext catalogs: the union of both sides' messages, ours first.

Catalogs are sorted and carry no source locations, so two branches that each add messages only
conflict as text. Registered by `make hooks` (git config merge.po-union.driver) and used for
*.po / *.pot through .gitattributes; run `make messages` after a merge to drop what is obsolete.
Usage (by git): merge_po.py %O %A %B — writes the merged catalog to %A.
"""

from __future__ import annotations

import sys

from babel.messages.pofile import read_po
from babel.messages.pofile import write_po


def _read(path: str):
    with open(path, "rb") as f:
        return read_po(f)


def main(base: str, ours: str, theirs: str) -> int:
    """Merge `theirs` into `ours` (in place): keep ours, add what only theirs has or translated."""
    merged, other = _read(ours), _read(theirs)
    for message in other:
        if not message.id:
            continue
        mine = merged.get(message.id, message.context)
        if mine is None:
            merged[message.id] = message
        elif not mine.string or (isinstance(mine.string, tuple) and not any(mine.string)):
            mine.string = message.string
    with open(ours, "wb") as f:
        write_po(f, merged, no_location=True, sort_output=True, width=76)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
