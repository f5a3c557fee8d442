"""What helps a couple: the five kinds of help tried on this couple, and ranked by what they change.

Each kind of help (:data:`sim.INTERVENTION_KINDS`) is run as done by partner A, by partner B and
by both, from one start day, on the couple's own run (the same days, events, random triggers and
seed), and compared with that run without help. What a kind changes is read in the late window
(the second half of the run, where the verdict is read too):

- ``relief``: the share of the couple's fear that goes (``1 - tension / tension without``; the
  tension is the mean fear per partner, fear of closeness plus fear of being left);
- ``own_relief`` / ``other_relief``: the same share for the partner who does it and for the
  other (for help done by both: partner A and partner B);
- ``calmer``: the share of the swing of closeness that goes (1 when the rounds stop);
- the verdict with the help, and, when the dance settles, how many days after the start it came
  to rest.

Help is ranked by ``relief``, then ``calmer``, within each doer. Nothing here is a fixed list: the
order comes from the runs, and differs between couples. Used by the page's "What helps you two".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .batch import DEFAULT_DT, DEFAULT_STEPS, simulate_batch
from .events import Event
from .interventions import INTERVENTION_FIELDS as FIELDS
from .interventions import INTERVENTION_KINDS, Intervention
from .limits import check_run
from .partners import WHO, Couple
from .specs import check_value

__all__ = ["Help", "HelpRanking", "what_helps"]


@dataclass(frozen=True)
class Help:
    """One kind of help done by ``who`` ("a", "b" or "both"), measured against the run without help."""

    kind: str
    who: str
    relief: float
    own_relief: float
    other_relief: float
    calmer: float
    verdict: str
    settled_after: float | None
    """Days from the start of the help until the dance came to rest; None unless it came to rest within
    the run (a verdict "settles" with None: the rounds are dying out, but slowly)."""


@dataclass(frozen=True)
class HelpRanking:
    """The fifteen runs of :func:`what_helps`: for each doer, the five kinds, most relief first."""

    couple: Couple
    start: float
    verdict: str
    """The verdict without help."""
    tension: float
    """The late-window tension without help (0 when no one is afraid)."""
    by_who: dict[str, tuple[Help, ...]]

    def best(self) -> Help:
        """The help that relieves the most of all fifteen (ties: done by fewer partners first)."""
        return max((h for who in WHO for h in self.by_who[who]), key=lambda h: (h.relief, h.calmer, h.who != "both"))


def _late_fears(traj: Any, t: np.ndarray) -> np.ndarray:
    """Mean fear (closeness + being left) of each run's two partners in the late window: shape (N, 2)."""
    late = t >= t[-1] / 2.0
    return (traj["engulfment"][:, :, late] + traj["abandonment"][:, :, late]).mean(axis=2)


def _share_gone(before: float, after: float) -> float:
    """The share of ``before`` that is gone in ``after`` (0 when there was nothing to lose)."""
    return 0.0 if before <= 1e-12 else float(1.0 - after / before)


def what_helps(couple: Couple, *, start: float = 60.0, strength: float = 1.0, steps: int = DEFAULT_STEPS,
               dt: float = DEFAULT_DT, seed: int = 0, events: tuple[Event, ...] = (),
               random_events: float = 0.0) -> HelpRanking:
    """Try each kind of help on ``couple``, done by A, by B and by both, from day ``start``.

    The runs share everything but the help: ``steps``, ``dt``, ``events``, ``random_events`` and
    ``seed``. ``start`` must fall inside the run's first half, so that the late window, where the
    change is read, comes after it. Raises ValueError for a bad value (the same checks and codes
    as :class:`sim.Intervention` and :func:`sim.simulate`).
    """
    if not isinstance(couple, Couple):
        raise ValueError(f"couple must be a sim.Couple, got {couple!r}")
    steps, dt, _ = check_run(steps, dt, random_events)
    start = float(check_value("start", start, FIELDS["start"]))
    strength = float(check_value("strength", strength, FIELDS["strength"]))
    days = steps * dt
    if not start < days / 2.0:
        raise ValueError(f"start must fall in the run's first half (before day {days / 2.0:g}), got {start:g}")
    tried = [(kind, who) for who in WHO for kind in INTERVENTION_KINDS]
    runs = [dict(interventions=())] + [
        dict(interventions=(Intervention(kind, start=start, who=who, strength=strength),)) for kind, who in tried]
    results = [simulate_batch([couple], steps=steps, dt=dt, seed=seed, events=events, random_events=random_events,
                              keep="trajectories", **run) for run in runs]
    fears = np.array([_late_fears(r.trajectories, np.asarray(r.t))[0] for r in results])  # (16, 2)
    tension = np.array([float(r.metrics["tension"][0]) for r in results])
    swing = np.array([float(r.metrics["amplitude"][0]) for r in results])
    by_who: dict[str, list[Help]] = {who: [] for who in WHO}
    for (kind, who), r, fear, tense, amp in zip(tried, results[1:], fears[1:], tension[1:], swing[1:], strict=True):
        own = 1 if who == "b" else 0
        settle = float(r.metrics["settle_time"][0])
        verdict = str(r.verdict[0])
        by_who[who].append(Help(
            kind=kind, who=who, relief=_share_gone(tension[0], tense),
            own_relief=_share_gone(fears[0][own], fear[own]),
            other_relief=_share_gone(fears[0][1 - own], fear[1 - own]),
            calmer=_share_gone(swing[0], amp),
            verdict=verdict,
            settled_after=max(0.0, settle - start) if math.isfinite(settle) and settle <= days else None))
    ranked = {who: tuple(sorted(helps, key=lambda h: (-h.relief, -h.calmer))) for who, helps in by_who.items()}
    return HelpRanking(couple=couple, start=start, verdict=str(results[0].verdict[0]), tension=float(tension[0]),
                       by_who=ranked)
