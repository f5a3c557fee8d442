"""Read-only values that stay read-only across a pickle (a process pool, a cache, a file).

Results never change after a run, so their arrays are read-only and their mappings cannot be
assigned to. ``types.MappingProxyType`` would give the second but does not pickle, and numpy hands
back writeable arrays after unpickling. This module holds the one answer to both: :class:`FrozenMap`,
a read-only mapping that pickles as itself, and :class:`ReadOnlyArrays`, a base for frozen
dataclasses whose array attributes come back read-only.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, TypeVar

import numpy as np

__all__ = ["FrozenMap", "ReadOnlyArrays", "frozen"]

V = TypeVar("V")


def frozen(array: Any, *, copy: bool = False) -> np.ndarray:
    """A read-only view of ``array`` (a read-only copy with ``copy=True``); ``array`` itself is left as it is."""
    out = np.array(array) if copy else np.asarray(array).view()
    out.flags.writeable = False
    return out


def _freeze(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return frozen(value)
    if isinstance(value, dict):
        return FrozenMap(value)
    if isinstance(value, tuple) and any(isinstance(v, np.ndarray) for v in value):
        return tuple(_freeze(v) for v in value)
    return value


class FrozenMap(Mapping[str, V]):
    """A read-only mapping: no item can be set or removed, array values are read-only, dicts nested in it too.

    Equal to any mapping with the same items; pickles as itself, read-only again on the other side.
    """

    __slots__ = ("_items",)
    _items: dict[str, V]

    def __init__(self, items: Mapping[str, V] | None = None, /) -> None:
        object.__setattr__(self, "_items", {k: _freeze(v) for k, v in (items or {}).items()})

    def __getitem__(self, key: str) -> V:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._items!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenMap, (self._items,))


class ReadOnlyArrays:
    """Base of the frozen result dataclasses: after unpickling, their arrays are read-only again.

    (A frozen dataclass unpickles by filling in its attributes; this marks the arrays among them,
    and those in tuples, read-only, as they were when the result was made.)
    """

    def __setstate__(self, state: dict[str, Any]) -> None:
        vars(self).update({k: _freeze(v) for k, v in state.items()})
