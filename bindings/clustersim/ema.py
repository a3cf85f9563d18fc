"""The model as an EMA Workbench model (Kwakkel 2017), so that its samplers, evaluators and
scenario discovery (PRIM, feature scoring) work on clustersim (docs/sweeps.md).

    from ema_workbench import SequentialEvaluator, perform_experiments
    from clustersim.ema import ema_model
    model = ema_model("scenarios/small.toml",
                      uncertainties={"firms.growth.drift": (0.0, 0.04)},
                      levers={"policy.land.supply.intensity": (0.0, 2.0)},
                      targets=["leading_share", "champions"], year=2025)
    experiments, outcomes = perform_experiments(model, scenarios=20, policies=4)

EMA names must be identifiers, so a key's dots become double underscores
(``policy__land__supply__intensity``); ``key_of`` maps them back.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

from clustersim.scenario import Scenario
from clustersim.sweepfile import _SPECS, TARGET_IDS, SweepError


def ema_name(key: str) -> str:
    return key.replace(".", "__")


def key_of(name: str) -> str:
    return name.replace("__", ".")


def _parameter(key: str, bounds: tuple[float, float]):
    import ema_workbench as ema
    spec = _SPECS.get(key)
    if spec is None:
        raise SweepError(f"key {key!r} is not a scenario parameter", key=key)
    low, high = bounds
    if spec["type"] == "integer":
        return ema.IntegerParameter(ema_name(key), int(low), int(high))
    if spec["type"] != "number":
        raise SweepError(f"key {key!r} ({spec['type']}) cannot be an EMA parameter; expected a "
                         "number or integer parameter", key=key)
    return ema.RealParameter(ema_name(key), float(low), float(high))


def ema_model(base: Scenario | str | os.PathLike, *, uncertainties: Mapping[str, tuple],
              levers: Mapping[str, tuple] | None = None, targets: Sequence[str] = TARGET_IDS,
              year: int = 2025, seed: int = 1, name: str = "clustersim"):
    """An ``ema_workbench.Model``: its uncertainties and levers are scenario keys with bounds;
    its outcomes are each target's value in ``year`` and ``<id>_met`` (1.0 or 0.0). Each
    experiment runs one single-threaded simulation to December of ``year`` with ``seed``."""
    import ema_workbench as ema
    scenario = base if isinstance(base, Scenario) else Scenario.load(base)
    unknown = [t for t in targets if t not in TARGET_IDS]
    if unknown:
        raise SweepError(f"target {unknown[0]!r} is unknown; expected one of "
                         f"{', '.join(TARGET_IDS)}", key=unknown[0])
    toml = scenario.to_toml()
    function = _Experiment(toml, list(targets), int(year), int(seed))
    model = ema.Model(name, function=function)
    model.uncertainties = [_parameter(k, b) for k, b in uncertainties.items()]
    model.levers = [_parameter(k, b) for k, b in (levers or {}).items()]
    model.outcomes = [ema.ScalarOutcome(t) for t in targets] + \
        [ema.ScalarOutcome(f"{t}_met") for t in targets]
    return model


class _Experiment:
    """Picklable: EMA's multiprocessing evaluator sends it to worker processes."""

    def __init__(self, toml: str, targets: list[str], year: int, seed: int):
        self.toml, self.targets, self.year, self.seed = toml, targets, year, seed

    def __call__(self, **values: Any) -> dict[str, float]:
        from clustersim.simulation import Simulation
        scenario = Scenario.from_toml(self.toml, source="<ema experiment>")
        for name, value in values.items():
            spec = _SPECS[key_of(name)]
            scenario[key_of(name)] = int(value) if spec["type"] == "integer" else float(value)
        sim = Simulation(scenario, seed=self.seed, threads=1).run(self.year)
        row = sim.targets().loc[self.year]
        out = {t: float(row[t]) for t in self.targets}
        out.update({f"{t}_met": float(bool(row[f"{t}_met"])) for t in self.targets})
        return out


__all__ = ["ema_model", "ema_name", "key_of"]
