"""The plan is public: anyone reads it. Only the Technical Secretariat changes
it (plans, POAs, weights, committees); every change keeps its history."""

import rules

from coalicion.membership.rules import is_secretariat

PLAN_MODELS = [
    "plan",
    "planstatement",
    "milestonestage",
    "axis",
    "strategicobjective",
    "result",
    "indicator",
    "workingcommittee",
    "operatingplan",
    "operationalobjective",
    "activity",
    "goal",
    "responsible",
]

for model in PLAN_MODELS:
    rules.add_perm(f"plans.view_{model}", rules.always_allow)
    for action in ("add", "change", "delete"):
        rules.add_perm(f"plans.{action}_{model}", is_secretariat)
