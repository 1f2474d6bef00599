"""Documents in and out through pandoc: DOCX, ODT, HTML, Markdown, PDF."""
