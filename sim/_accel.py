"""Optional numba acceleration: marks for model functions that compiled code may call, and the
few primitives the one model source uses to run in vector lanes.

With numba installed, ``jitable`` is ``numba.extending.register_jitable``: the function stays an
ordinary Python function (the numpy path calls it on arrays) and is compiled when the numba
kernel calls it. ``jitable_inline`` also inlines it into its callers as numba IR: functions that
take arrays (the right-hand side, the RK4 step, the metric accumulators) need it, or LLVM cannot
run their loops over a block's lanes in vector registers (they ran five times slower). Functions
of numbers only (``phi``, ``saturate``) stay plain ``jitable``: LLVM inlines them itself, and
numba then types each once instead of again at each of their call sites (the one-off compilation
went from about 21 s to 14 s, the kernel as fast). ``at`` (where a lane's entry lives), ``fmin``,
``fmax`` and ``any_true`` are plain numpy in Python and, compiled, are emitted straight into
machine code: inlining them as numba IR, at hundreds of call sites, took the one-off compilation
from 20 s to about 50 s.
Without numba the marks are the identity and only the numpy path exists.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
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
    """Like :func:`jitable`, and inlined into its callers as numba IR (for functions on the hot path
    that take arrays; see the module's docstring)."""
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

    ``np.where`` in numpy; compiled, one select (the same numbers, NaN and infinities included),
    which keeps numba from inlining a helper at twenty call sites.
    """
    return np.where(flag != 0.0, new, old)


def fmin(a: Any, b: Any) -> Any:
    """Elementwise minimum: ``np.minimum`` in numpy; compiled, a compare and a select."""
    return np.minimum(a, b)


def fmax(a: Any, b: Any) -> Any:
    """Elementwise maximum: ``np.maximum`` in numpy; compiled, a compare and a select.

    numpy's versions also carry a NaN through, which costs compiled code extra instructions in
    its vector loops; the model's state is never NaN.
    """
    return np.maximum(a, b)


def borrowed(array: Any) -> Any:
    """``array`` itself in numpy; compiled, a view of it that carries no reference count.

    numba counts references to every array an inlined function receives, with an atomic
    instruction each time; in the time loop that was a fifth of the kernel's cycles. A borrowed
    view skips the count, so it must not outlive its array: the time loop borrows its arguments,
    which its caller holds until the loop returns.
    """
    return array


def use_cache_for(*sources: str) -> bool:
    """Point numba's on-disk cache, for the kernel compiled next, at a folder keyed by ``sources``.

    ``sources`` are the files of :mod:`sim` whose code the kernel inlines. Numba checks only the
    timestamp of the file that holds the compiled function, so without their content in the key
    an edited model would run stale machine code.

    The folder is the first writable one of :func:`cache_roots`. An install whose package folder
    is read-only (a container image) uses the user's cache or the temporary folder, starting from
    a copy of the cache prepared in the package, so that it does not compile again. Returns False
    when nothing is writable: the kernel is then compiled in memory (``cache=False``).
    """
    import numba

    here = Path(__file__).parent
    digest = hashlib.sha256()
    for name in sources:
        digest.update((here / name).read_bytes())
    kernel = Path(sources[0]).stem
    key = f"numba-{kernel}-{digest.hexdigest()[:16]}"
    own = here / "__pycache__"
    prepared = own / key
    for root in cache_roots():
        folder = root / key
        if not _writable(folder):
            continue
        if folder != prepared and prepared.is_dir() and not any(folder.iterdir()):
            shutil.copytree(prepared, folder, dirs_exist_ok=True)
        with contextlib.suppress(OSError):  # the folder's time is its last use (see prune_stale)
            os.utime(folder)
        prune_stale(root, kernel, key, own=root == own)
        setattr(numba.config, "CACHE_DIR", str(folder))  # noqa: B010
        return True
    return False


STALE_DAYS = 30
"""A shared cache folder's kernel compiled from other sources is removed once unused this long."""


def prune_stale(root: Path, kernel: str, key: str, *, own: bool) -> list[Path]:
    """Remove the folders of ``kernel`` in ``root`` that were compiled from other sources than ``key``.

    Every edit of the model gives its kernels a new folder; without this the old ones pile up. In
    the package's own ``__pycache__`` (``own``: it belongs to this copy of the code alone) every
    other folder of the kernel is stale at once. A shared folder (the user's cache, the temporary
    folder, ``$NUMBA_CACHE_DIR``) may serve other installed versions, so there only folders unused
    for :data:`STALE_DAYS` days go. Folders of the old naming (``numba-<digest>``) count as any
    kernel's. Returns what was removed.
    """
    removed = []
    cutoff = time.time() - STALE_DAYS * 86400
    for folder in root.glob("numba-*"):
        name = folder.name
        legacy = len(name) == len("numba-") + 16 and all(c in "0123456789abcdef" for c in name[6:])
        if name == key or not (legacy or name.startswith(f"numba-{kernel}-")) or not folder.is_dir():
            continue
        with contextlib.suppress(OSError):
            if own or folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder)
                removed.append(folder)
    return removed


CACHE_ENV = "NUMBA_CACHE_DIR"
"""Set it to a writable folder to choose where the compiled kernels are kept (e.g. in a container)."""


def cache_roots() -> list[Path]:
    """Where compiled kernels may be kept, in order: ``$NUMBA_CACHE_DIR`` alone if it is set; else the
    package's ``__pycache__``, the user's cache folder (``$XDG_CACHE_HOME`` or ``~/.cache``) and the
    temporary folder."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen:
        return [Path(chosen)]
    roots = [Path(__file__).parent / "__pycache__"]
    user = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    roots.append(Path(user) / "attract-repel")
    with contextlib.suppress(OSError):  # OSError: no usable temporary folder at all
        roots.append(Path(tempfile.gettempdir()) / f"attract-repel-{os.getuid() if hasattr(os, 'getuid') else 0}")
    return roots


def _writable(folder: Path) -> bool:
    """Whether ``folder`` exists or can be made, and a file can be written in it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False


if HAVE_NUMBA:  # compiled, these are emitted straight into the caller's machine code
    from numba import types
    from numba.extending import lower_builtin, type_callable

    def _builtin(func: Any, arity: int, kind: Any, restype: Any, codegen: Any) -> None:
        """Type ``func`` on ``arity`` arguments of numba type ``kind`` as returning ``restype``, and
        lower it with ``codegen(context, builder, args)``, the arguments cast to intp (for an intp
        result) or float64."""
        operand = types.intp if restype == types.intp else types.float64

        def accepts(*args: Any) -> Any:
            return restype if all(isinstance(a, kind) for a in args) else None

        # numba reads the typer's own signature, so it must name its arguments (no *args)
        typers = {1: lambda a: accepts(a), 2: lambda a, b: accepts(a, b), 3: lambda a, b, c: accepts(a, b, c)}

        @type_callable(func)
        def _type(context: Any) -> Any:  # pragma: no cover - compiled
            return typers[arity]

        @lower_builtin(func, *([kind] * arity))
        def _lower(context: Any, builder: Any, sig: Any, args: Any) -> Any:  # pragma: no cover - compiled
            cast = [context.cast(builder, v, t, operand) for v, t in zip(args, sig.args, strict=True)]
            return codegen(context, builder, cast)

    def _lane_index(context: Any, builder: Any, args: Any) -> Any:  # pragma: no cover - compiled
        row, lane = args
        width = context.get_constant(types.intp, LANES)
        return builder.add(builder.mul(row, width, flags=["nsw"]), lane, flags=["nsw"])

    def _pick(op: str) -> Any:
        """Lowering of ``a op b ? a : b`` on two floats."""
        def codegen(context: Any, builder: Any, args: Any) -> Any:  # pragma: no cover - compiled
            x, y = args
            return builder.select(builder.fcmp_ordered(op, x, y), x, y)

        return codegen

    def _keep_if(context: Any, builder: Any, args: Any) -> Any:  # pragma: no cover - compiled
        flag, new, old = args
        return builder.select(builder.fcmp_unordered("!=", flag, context.get_constant(types.float64, 0.0)), new, old)

    def _any_true(context: Any, builder: Any, args: Any) -> Any:  # pragma: no cover - compiled
        return builder.fcmp_unordered("!=", args[0], context.get_constant(types.float64, 0.0))

    @type_callable(borrowed)
    def _type_borrowed(context: Any) -> Any:  # pragma: no cover - compiled
        return lambda array: array if isinstance(array, types.Array) else None

    @lower_builtin(borrowed, types.Array)
    def _lower_borrowed(context: Any, builder: Any, sig: Any, args: Any) -> Any:  # pragma: no cover - compiled
        from numba.core import cgutils

        view = context.make_array(sig.return_type)(context, builder, value=args[0])
        view.meminfo = cgutils.get_null_value(view.meminfo.type)
        view.parent = cgutils.get_null_value(view.parent.type)
        return view._getvalue()

    _builtin(at, 2, types.Integer, types.intp, _lane_index)
    _builtin(fmin, 2, types.Number, types.float64, _pick("<"))
    _builtin(fmax, 2, types.Number, types.float64, _pick(">"))
    _builtin(keep_if, 3, types.Number, types.float64, _keep_if)
    _builtin(any_true, 1, types.Float, types.boolean, _any_true)
