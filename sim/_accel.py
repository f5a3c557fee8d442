"""Optional numba acceleration: ``jitable`` marks model functions that compiled code may call.

With numba installed, ``jitable`` is ``numba.extending.register_jitable``: the function stays an
ordinary Python function (the numpy path calls it on arrays) and is compiled when the numba
kernel calls it. Without numba it is the identity and only the numpy path exists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

try:
    from numba.extending import register_jitable as _register_jitable

    HAVE_NUMBA = True
except ImportError:  # pragma: no cover - exercised only without numba
    HAVE_NUMBA = False
    _register_jitable = None


def jitable(func: F) -> F:
    """Mark ``func`` as callable from numba-compiled code (identity without numba)."""
    if _register_jitable is None:  # pragma: no cover
        return func
    return _register_jitable(inline="always")(func)  # type: ignore[no-any-return]
