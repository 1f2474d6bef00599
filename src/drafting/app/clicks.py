"""Clicking a paragraph selects it; "link" next to it copies its address.

The draft is drawn with ``st.html`` (escaped markup, no widget per paragraph, so that 300
paragraphs stay fast); this small component of our own (Streamlit's components v2, no
build step, no iframe) listens to clicks on the page: a click on a paragraph
(``[data-pid]``) reports its id to Python, which checks it against the version's
paragraphs before using it; a click on a paragraph's "link" copies the paragraph's full
address to the clipboard and says so. It also brings a paragraph opened by a link into
view. Nothing from a workspace reaches this script: it only reads ``data-pid`` and
``href`` attributes that :mod:`drafting.app.markup` escaped.
"""

from __future__ import annotations

import streamlit as st

_JS = """
export default function(component) {
  const { setTriggerValue, data } = component;
  const doc = window.document;
  const say = (el, text) => {
    el.setAttribute('data-copied', text);
    el.classList.add('dr-copied');
    setTimeout(() => el.classList.remove('dr-copied'), 1800);
  };
  const copy = (el) => {
    const url = new URL(el.getAttribute('href'), window.location.href).toString();
    const fallback = () => {
      const area = doc.createElement('textarea');
      area.value = url; area.setAttribute('readonly', ''); area.style.position = 'fixed'; area.style.opacity = '0';
      doc.body.appendChild(area); area.select();
      let ok = false;
      try { ok = doc.execCommand('copy'); } catch (e) { ok = false; }
      doc.body.removeChild(area);
      say(el, ok ? 'Link copied' : 'Copy this link: right-click, Copy link address');
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(() => say(el, 'Link copied'), fallback);
    } else {
      fallback();
    }
    setTriggerValue('copied', url);
  };
  const choose = (ev) => {
    const target = ev.target;
    if (!target || !target.closest) return;
    const link = target.closest('a.dr-copy, a.dr-card-link');

    if (link) { ev.preventDefault(); ev.stopPropagation(); copy(link); return; }
    if (target.closest('a, button, input, textarea, select, summary, details')) return;
    const para = target.closest('.dr-doc [data-pid]');
    if (!para) return;
    const sel = window.getSelection ? String(window.getSelection()) : '';
    if (sel.length > 0) return;  // selecting words to copy them is not choosing the paragraph
    setTriggerValue('clicked', para.getAttribute('data-pid'));
  };
  const key = (ev) => {
    if (ev.key !== 'Enter' && ev.key !== ' ') return;
    const para = ev.target && ev.target.closest && ev.target.closest('.dr-doc [data-pid]');
    if (para && ev.target === para) { ev.preventDefault(); setTriggerValue('clicked', para.getAttribute('data-pid')); }
  };
  doc.addEventListener('click', choose, true);
  doc.addEventListener('keydown', key, true);
  let timer = null;
  if (data && data.scroll) {
    let tries = 0;
    const bring = () => {
      const el = doc.getElementById('p-' + data.scroll);
      if (el) { el.scrollIntoView({ block: 'center' }); return; }
      if (++tries < 60) timer = setTimeout(bring, 100);
    };
    bring();
  }
  return () => {
    doc.removeEventListener('click', choose, true);
    doc.removeEventListener('keydown', key, true);
    if (timer) clearTimeout(timer);
  };
}
"""

NAME = "drafting_paragraph_clicks"
_mounters: dict[int, object] = {}


def _get():
    """The component's mounting command, registered once per Streamlit runtime."""
    from streamlit.runtime import Runtime

    runtime = Runtime.instance() if Runtime.exists() else None
    ident = id(runtime)
    if ident not in _mounters or (runtime is not None and runtime.bidi_component_registry.get(NAME) is None):
        _mounters.clear()
        _mounters[ident] = st.components.v2.component(NAME, js=_JS)
    return _mounters[ident]


def listen(key: str, *, scroll_to: str | None = None) -> str | None:
    """Listen for clicks on the page's paragraphs: the id of the paragraph clicked in
    this run (None otherwise). ``scroll_to``: a paragraph to bring into view."""
    result = _get()(key=key, data={"scroll": scroll_to or ""}, on_clicked_change=_noop, on_copied_change=_noop)
    clicked = getattr(result, "clicked", None) if result is not None else None
    return str(clicked) if clicked else None


def _noop() -> None:
    return None
