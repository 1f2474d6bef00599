"""Edit a Word file in LibreOffice with Track Changes on, as a delegate would, and save it
as Word (.docx). Run with the system Python that has LibreOffice's ``uno`` (Debian:
python3-uno):

    /usr/bin/python3 tests/lo_edit.py IN.docx OUT.docx AUTHOR '[["old words", "new words"], ...]'

Each pair replaces the first occurrence of the old words (new words "" deletes them).
"""

import json
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(src: str, out: str, author: str, edits: list) -> None:
    port = free_port()
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    office = subprocess.Popen(
        ["soffice", "--headless", "--invisible", "--nologo", "--norestore",
         f"-env:UserInstallation={profile.as_uri()}",
         f"--accept=socket,host=127.0.0.1,port={port};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(240):
            try:
                ctx = resolver.resolve(f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext")
                break
            except NoConnectException:
                time.sleep(0.5)
        else:
            raise SystemExit("LibreOffice did not start")
        smgr = ctx.ServiceManager
        cp = smgr.createInstanceWithContext("com.sun.star.configuration.ConfigurationProvider", ctx)
        access = cp.createInstanceWithArguments(
            "com.sun.star.configuration.ConfigurationUpdateAccess",
            (prop("nodepath", "/org.openoffice.UserProfile/Data"),),
        )
        access.setPropertyValue("givenname", author)
        access.setPropertyValue("sn", "")
        access.commitChanges()
        desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = None
        for _ in range(40):
            doc = desktop.loadComponentFromURL(Path(src).resolve().as_uri(), "_blank", 0, (prop("Hidden", True),))
            if doc is not None:
                break
            time.sleep(0.5)
        if doc is None:
            raise SystemExit(f"LibreOffice could not open {src}")
        doc.RecordChanges = True
        for old, new in edits:
            sd = doc.createSearchDescriptor()
            sd.SearchString = old
            found = doc.findFirst(sd)
            if found is None:
                raise SystemExit(f"{old!r} not found")
            found.setString(new)
        doc.storeToURL(Path(out).resolve().as_uri(), (prop("FilterName", "MS Word 2007 XML"),))
        doc.close(True)
    finally:
        office.terminate()
        try:
            office.wait(20)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    if len(sys.argv) != 5:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4]))
