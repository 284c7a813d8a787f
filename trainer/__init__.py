"""trainer: practise listening to a partner, graded reply by reply."""

__version__ = "0.1.0"
