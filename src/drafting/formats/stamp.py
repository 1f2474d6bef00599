"""Where a circulated file comes from: the conference, document, version and round drafting
wrote into it as document properties (DOCX ``docProps/custom.xml``, ODT ``meta.xml``
user-defined metadata; pandoc writes both from the document's metadata), read back when
the file returns as a delegation's inputs. Word and LibreOffice keep them when saving.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["KIND_COMPILATION", "KIND_TRACKED", "KIND_VERSION", "Stamp", "read_stamp"]

PREFIX = "drafting-"
#: what the file is: a version (clean), a version with tracked changes, a compilation
KIND_VERSION, KIND_TRACKED, KIND_COMPILATION = "version", "tracked", "compilation"
#: a property's value is never longer than this (a stamp is short; more is not ours)
_MAX = 200


@dataclass(frozen=True)
class Stamp:
    conference: str | None = None
    document: str | None = None
    version: str | None = None
    round: str | None = None
    kind: str | None = None
    #: for tracked changes: the version the changes are shown since
    since: str | None = None

    def properties(self) -> tuple[tuple[str, str], ...]:
        """The stamp as document properties (name, value)."""
        out = []
        for key in ("conference", "document", "version", "round", "kind", "since"):
            value = getattr(self, key)
            if value:
                out.append((PREFIX + key, str(value)))
        return tuple(out)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _properties(path: Path) -> dict[str, str]:
    """The custom properties of a DOCX, or the user-defined metadata of an ODT (already
    checked by ``formats.safety``): name -> text; empty if none or unreadable."""
    out: dict[str, str] = {}
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if "docProps/custom.xml" in names:
                root = ET.fromstring(z.read("docProps/custom.xml"))
                for prop in root:
                    name = prop.get("name")
                    value = "".join(prop.itertext()).strip()
                    if name and name.startswith(PREFIX):
                        out[name] = value
            elif "meta.xml" in names:
                root = ET.fromstring(z.read("meta.xml"))
                for el in root.iter():
                    if _local(el.tag) != "user-defined":
                        continue
                    name = next((v for k, v in el.attrib.items() if _local(k) == "name"), None)
                    if name and name.startswith(PREFIX):
                        out[name] = (el.text or "").strip()
    except (OSError, zipfile.BadZipFile, ET.ParseError, KeyError):
        return {}
    return out


def read_stamp(path: Path) -> Stamp | None:
    """The file's stamp, or None if it carries none (not exported by drafting, or saved
    by a program that dropped the properties)."""
    props = _properties(Path(path))
    values = {k.removeprefix(PREFIX): v[:_MAX] for k, v in props.items() if v}
    if not values.get("document") or not values.get("version"):
        return None
    return Stamp(**{k: values.get(k) for k in ("conference", "document", "version", "round", "kind", "since")})
