"""Make the figures of docs/model.md: ``PYTHONPATH=. python docs/make_figures.py``.

``bifurcation.png``: the regime map of A's anxiety against B's avoidance around the classic trap,
101 x 101 couples of 2,000 steps, with the Hopf curve (rounds are born) and the saddle-node
curves (a resting state is lost) of the analysis drawn over the simulated verdicts.
"""

from pathlib import Path

import sim
from sim.plots.regime import regime_figure

HERE = Path(__file__).parent / "figures"


def main() -> None:
    HERE.mkdir(exist_ok=True)
    regime = sim.regime_map(n=101, steps=2_000)
    fig = regime_figure(regime, lang="en")
    fig.savefig(HERE / "bifurcation.png", dpi=110)
    print(f"bifurcation.png: agreement {regime.agreement:.1%}, near the boundary {regime.agreement_near:.1%}, "
          f"{len(regime.hopf)} Hopf and {len(regime.saddle_node)} saddle-node curve pieces")


if __name__ == "__main__":
    main()
