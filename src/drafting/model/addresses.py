"""The addresses of the app's places: one owner for the app's links and the e-mails' links.

An address is a page's path and query parameters, relative to the app (so that it works
under any host and base path; :func:`absolute` puts it under the app's public address)::

    draft?doc=action-plan&v=rev1&p=clr-2                          a paragraph of a version
    draft?doc=action-plan&v=zero-draft&p=uni-1&proposal=MEX-2      a proposal, on its base
    compare?doc=action-plan&from=zero-draft&to=rev1
    review?doc=action-plan&round=zero-draft-inputs&proposal=MEX-4
    my-inputs?doc=action-plan&proposal=MEX-4
    submit?doc=action-plan&round=zero-draft-inputs&p=clr-2

Pure: the app (``app.links``) reads and writes them in the browser's address bar.
"""

from __future__ import annotations

from urllib.parse import urlencode

#: the pages' addresses (``st.Page(url_path=...)``)
DRAFT, COMPARE, SUBMIT, MY_INPUTS, REVIEW, DASHBOARD, HISTORY, NEWS, LANGUAGES, REFERENCES, SILENCE = (
    "draft",
    "compare",
    "submit",
    "my-inputs",
    "review",
    "dashboard",
    "history",
    "news",
    "languages",
    "references",
    "silence",
)
PAGES = (DRAFT, COMPARE, SUBMIT, MY_INPUTS, REVIEW, DASHBOARD, HISTORY, NEWS, LANGUAGES, REFERENCES, SILENCE)

#: the query parameters, in the order they are written (``as``: in demo mode only, the
#: delegation to act as; never kept in the address)
PARAMS = ("doc", "v", "from", "to", "round", "p", "proposal", "as")


def href(page: str, **params: str | None) -> str:
    """A relative address: ``href("draft", doc="action-plan", v="rev1", p="clr-2")`` ->
    ``"draft?doc=action-plan&v=rev1&p=clr-2"`` (empty values left out)."""
    items = [(k, str(params[k])) for k in PARAMS if params.get(k)]
    items += [(k, str(v)) for k, v in params.items() if k not in PARAMS and v]
    return page + ("?" + urlencode(items) if items else "")


def paragraph(document: str, version: str, pid: str) -> str:
    return href(DRAFT, doc=document, v=version, p=pid)


def version(document: str, name: str) -> str:
    return href(DRAFT, doc=document, v=name)


def proposal(document: str, base: str, target: str | None, pid: str) -> str:
    return href(DRAFT, doc=document, v=base, p=target, proposal=pid)


def compare(document: str, v1: str, v2: str) -> str:
    return href(COMPARE, doc=document, **{"from": v1, "to": v2})


def absolute(relative: str, base: str | None) -> str:
    """``relative`` under the app's public address ``base`` (``https://host/app``)."""
    if not base:
        return relative
    return base.rstrip("/") + "/" + relative.lstrip("/")
