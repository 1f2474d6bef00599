"""Make inputs/BIH-action-plan-tracked.docx: the circulated zero draft of the Action Plan,
edited by a delegate in a real word processor with Track Changes on.

Run with the system Python that has LibreOffice's ``uno`` (Debian: python3-uno):

    /usr/bin/python3 inputs/make_tracked_docx.py ZERO_DRAFT.docx inputs/BIH-action-plan-tracked.docx

where ZERO_DRAFT.docx is ``drafting export action-plan zero-draft -o ZERO_DRAFT.docx`` from a
workspace made with ``drafting init DIR --example``. LibreOffice opens it, records the edits
below as tracked changes by "Bosnia and Herzegovina" (a replacement, an insertion inside a
sentence and a deletion), and saves it as Word 2007-365 (.docx).
"""

import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import uno
from com.sun.star.beans import PropertyValue

AUTHOR = "Bosnia and Herzegovina"
#: (paragraph's opening words, old words, new words): old words "" inserts after the opening
EDITS = [
    # va-3: a replacement inside the sentence
    ("Each State Party will collect data on all persons killed", "all persons killed or injured",
     "all persons killed, injured or otherwise affected"),
    # va-5: an insertion inside a sentence
    ("Each State Party will strengthen national capacities to provide psychological",
     "by trained survivors", "by trained survivors and mental health professionals"),
]
DELETE = ("Each State Party will strengthen national capacities to provide psychological",
          ", in particular in the period immediately following an accident")


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(src: str, out: str) -> None:
    port = free_port()
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    office = subprocess.Popen(
        ["soffice", "--headless", "--invisible", "--nologo", "--norestore",
         f"-env:UserInstallation={profile.as_uri()}",
         f"--accept=socket,host=127.0.0.1,port={port};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(120):
            try:
                ctx = resolver.resolve(f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext")
                break
            except Exception:
                time.sleep(0.5)
        else:
            raise SystemExit("LibreOffice did not start")
        smgr = ctx.ServiceManager
        # the author LibreOffice records on tracked changes
        cp = smgr.createInstanceWithContext("com.sun.star.configuration.ConfigurationProvider", ctx)
        access = cp.createInstanceWithArguments(
            "com.sun.star.configuration.ConfigurationUpdateAccess",
            (prop("nodepath", "/org.openoffice.UserProfile/Data"),))
        access.setPropertyValue("givenname", AUTHOR)
        access.setPropertyValue("sn", "")
        access.commitChanges()
        desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = None
        for _ in range(20):  # the desktop may answer before it can load documents
            doc = desktop.loadComponentFromURL(Path(src).resolve().as_uri(), "_blank", 0, (prop("Hidden", True),))
            if doc is not None:
                break
            time.sleep(0.5)
        if doc is None:
            raise SystemExit(f"LibreOffice could not open {src}")
        doc.RecordChanges = True
        text = doc.Text

        def paragraph(opening):
            en = text.createEnumeration()
            while en.hasMoreElements():
                p = en.nextElement()
                if p.supportsService("com.sun.star.text.Paragraph") and opening in p.getString():
                    return p
            raise SystemExit(f"no paragraph opens with {opening!r}")

        def find(par, words):
            sd = doc.createSearchDescriptor()
            sd.SearchString = words
            found = doc.findNext(par.getStart(), sd)
            if found is None:
                raise SystemExit(f"{words!r} not found")
            return found

        for opening, old, new in EDITS:
            find(paragraph(opening), old).setString(new)
        find(paragraph(DELETE[0]), DELETE[1]).setString("")
        doc.storeToURL(Path(out).resolve().as_uri(), (prop("FilterName", "MS Word 2007 XML"),))
        doc.close(True)
    finally:
        office.terminate()
        try:
            office.wait(20)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2])
