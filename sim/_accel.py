"""Optional numba acceleration: marks for model functions that compiled code may call, and the
few primitives the one model source uses to run in vector lanes.

With numba installed, ``jitable`` is ``numba.extending.register_jitable``: the function stays an
ordinary Python function (the numpy path calls it on arrays) and is compiled when the numba
kernel calls it. ``jitable_inline`` also inlines it into its callers (the right-hand side, the RK4
step, the metric accumulators), which lets LLVM run their loops over a block's lanes in vector
registers. ``at`` (where a lane's entry lives), ``fmin``, ``fmax`` and ``any_true`` are plain numpy
in Python and, compiled, are emitted straight into machine code: inlining them as numba IR, at
hundreds of call sites, took the one-off compilation from 20 s to about 50 s.
Without numba the marks are the identity and only the numpy path exists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

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


def any_true(flags: Any) -> bool:
    """Whether any of ``flags`` (a float array in numpy, one lane's float in compiled code) is nonzero.

    Lets the one time loop skip work that few steps need (the logarithm of a counted round) on
    whole arrays in numpy and lane by lane when compiled.
    """
    return bool(np.any(flags != 0.0))

LANES = 32
"""Couples per block of the compiled kernel, side by side in the machine's vector lanes (32
float64 = four AVX-512 registers per state entry; 16 and 64 ran 5 % slower, 8 a quarter slower);
see :data:`sim.dynamics.LANE`."""


def at(row: int, lane: Any) -> int:
    """Where entry ``row`` of lane ``lane`` lives: in numpy the row itself (every couple at once)."""
    return row


def keep_if(flag: Any, new: Any, old: Any) -> Any:
    """``new`` where ``flag`` is 1, ``old`` where it is 0 (flags are 0.0 or 1.0).

    In numpy the arithmetic ``flag * new + (1 - flag) * old``; compiled, one select, which gives the
    same numbers for finite values and keeps numba from inlining a helper at twenty call sites.
    """
    return flag * new + (1.0 - flag) * old


def fmin(a: Any, b: Any) -> Any:
    """Elementwise minimum: ``np.minimum`` in numpy; compiled, a compare and a select."""
    return np.minimum(a, b)


def fmax(a: Any, b: Any) -> Any:
    """Elementwise maximum: ``np.maximum`` in numpy; compiled, a compare and a select.

    numpy's versions also carry a NaN through, which costs compiled code extra instructions in
    its vector loops; the model's state is never NaN.
    """
    return np.maximum(a, b)


if HAVE_NUMBA:  # compiled, these three are emitted straight into the caller's machine code
    from numba import types
    from numba.extending import lower_builtin, type_callable

    @type_callable(at)
    def _type_at(context: Any) -> Any:  # pragma: no cover - compiled
        def typer(row: Any, lane: Any) -> Any:
            if isinstance(row, types.Integer) and isinstance(lane, types.Integer):
                return types.intp
            return None

        return typer

    @lower_builtin(at, types.Integer, types.Integer)
    def _lower_at(context: Any, builder: Any, sig: Any, args: Any) -> Any:  # pragma: no cover - compiled
        row = context.cast(builder, args[0], sig.args[0], types.intp)
        lane = context.cast(builder, args[1], sig.args[1], types.intp)
        width = context.get_constant(types.intp, LANES)
        return builder.add(builder.mul(row, width, flags=["nsw"]), lane, flags=["nsw"])

    def _pick(func: Any, op: str) -> None:
        """Type and lower ``func(a, b)`` on two numbers as the float ``a op b ? a : b``."""

        @type_callable(func)
        def _type(context: Any) -> Any:  # pragma: no cover - compiled
            def typer(a: Any, b: Any) -> Any:
                if isinstance(a, types.Number) and isinstance(b, types.Number):
                    return types.float64
                return None

            return typer

        @lower_builtin(func, types.Number, types.Number)
        def _lower(context: Any, builder: Any, sig: Any, args: Any) -> Any:  # pragma: no cover - compiled
            x = context.cast(builder, args[0], sig.args[0], types.float64)
            y = context.cast(builder, args[1], sig.args[1], types.float64)
            return builder.select(builder.fcmp_ordered(op, x, y), x, y)

    _pick(fmin, "<")
    _pick(fmax, ">")

    @type_callable(keep_if)
    def _type_keep_if(context: Any) -> Any:  # pragma: no cover - compiled
        def typer(flag: Any, new: Any, old: Any) -> Any:
            if all(isinstance(v, types.Number) for v in (flag, new, old)):
                return types.float64
            return None

        return typer

    @lower_builtin(keep_if, types.Number, types.Number, types.Number)
    def _lower_keep_if(context: Any, builder: Any, sig: Any, args: Any) -> Any:  # pragma: no cover - compiled
        flag, new, old = (context.cast(builder, v, t, types.float64) for v, t in zip(args, sig.args, strict=True))
        return builder.select(builder.fcmp_unordered("!=", flag, context.get_constant(types.float64, 0.0)), new, old)

    @type_callable(any_true)
    def _type_any_true(context: Any) -> Any:  # pragma: no cover - compiled
        def typer(flags: Any) -> Any:
            return types.boolean if isinstance(flags, types.Float) else None

        return typer

    @lower_builtin(any_true, types.Float)
    def _lower_any_true(context: Any, builder: Any, sig: Any, args: Any) -> Any:  # pragma: no cover - compiled
        return builder.fcmp_unordered("!=", args[0], context.get_constant(sig.args[0], 0.0))
