"""Data sets embedded in skdistill."""

from ._crotonylation import load_crotonylation

__all__ = ["load_crotonylation"]
