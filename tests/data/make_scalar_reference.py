"""Reference runs of the scalar kernel (commit ddcdf91) for tests/test_kernel.py.

Run from a checkout of that commit: ``PYTHONPATH=. python <this file> scalar_kernel_ddcdf91.npz numba``,
with one change to its ``sim/dynamics.py`` that the model made later: ``floor_share`` and ``dfloor_share``
take ``cp = np.maximum(c, 0.0)`` in place of ``c`` (the floor share is 0 below closeness 0, where RK4
stages reach for an instant).
"""

import sys

import numpy as np

import sim
from sim.engine import run_arrays

rng = np.random.default_rng(20261202)
n = 32
scores = rng.uniform(0, 1, (n, 4))
couples = [sim.Couple(a=sim.Partner(anxiety=a1, avoidance=v1), b=sim.Partner(anxiety=a2, avoidance=v2))
           for a1, v1, a2, v2 in scores]
events = (sim.Event("intimate_moment", at=3.0), sim.Event("conflict", at=7.5))
interventions = (sim.Intervention("safety", who="both", start=5.0), sim.Intervention("coaching", who="a", start=8.0))
out = {"scores": scores}
for name, ev, iv in (("plain", (), ()), ("events", events, ()), ("help", events, interventions)):
    run = run_arrays(couples, steps=300, dt=0.1, events=ev, interventions=iv, record=True, backend=sys.argv[2])
    out[f"{name}_traj"] = run["traj"][:, :, ::10]
    out[f"{name}_learned"] = run["learned"][:, :, ::10]
np.savez_compressed(sys.argv[1], **out)
print("saved", {k: v.shape for k, v in out.items()})
