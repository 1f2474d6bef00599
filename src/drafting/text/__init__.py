"""The pure core: words, diff, merge (compose), provenance (blame), numbering.

Nothing here touches the disk, git, pandoc or Streamlit.
"""
