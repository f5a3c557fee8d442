"""The package's version, in one place (``sim.__version__``, the build, every file written)."""

__version__ = "0.2.0"
