"""IGF Coach: an offline desktop habit coach."""

__version__ = "0.1.0"
