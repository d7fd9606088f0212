"""MkDocs plugin `procedures`: a multi-board procedures manual with amendments and print stamps."""

__version__ = "0.1.0"
