"""Build hook: compile the gettext catalogs (.po → .mo) into the wheel, so no binaries are committed."""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogs(build_py):
    """`build_py`, then every readiness/translations/*/LC_MESSAGES/*.po compiled beside itself."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads the source tree (make translations)
            return
        for po in Path(self.build_lib, "readiness", "translations").glob("*/LC_MESSAGES/*.po"):
            with po.open("rb") as source:
                catalog = read_po(source, locale=po.parent.parent.name)
            with po.with_suffix(".mo").open("wb") as target:
                write_mo(target, catalog, use_fuzzy=False)


setup(cmdclass={"build_py": BuildWithCatalogs})
