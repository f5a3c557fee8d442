"""Optional numba acceleration: ``jitable`` marks model functions that compiled code may call.

With numba installed, ``jitable`` is ``numba.extending.register_jitable``: the function stays an
ordinary Python function (the numpy path calls it on arrays) and is compiled when the numba
kernel calls it. ``jitable_inline`` also inlines it into its callers: used for the small functions
of the right-hand side, where inlining halves the run time; the larger ones (the RK4 step, the
metrics, the time loop) are not inlined, which keeps compilation in seconds rather than minutes.
Without numba both are the identity and only the numpy path exists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

try:
    from numba.extending import register_jitable
except ImportError:  # pragma: no cover - exercised only without numba
    register_jitable = None  # type: ignore[assignment]

HAVE_NUMBA = register_jitable is not None


def jitable(func: F) -> F:
    """Mark ``func`` as callable from numba-compiled code (identity without numba)."""
    if register_jitable is None:  # pragma: no cover
        return func
    return register_jitable(func)


def jitable_inline(func: F) -> F:
    """Like :func:`jitable`, and inlined into its callers (for small functions on the hot path)."""
    if register_jitable is None:  # pragma: no cover
        return func
    return register_jitable(inline="always")(func)
