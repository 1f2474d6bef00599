"""The pages' contents: one module per page, each with ``render()``."""
