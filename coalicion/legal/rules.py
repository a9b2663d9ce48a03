"""The legal framework and the glossary are public reference material; the
Technical Secretariat keeps them."""

import rules

from coalicion.membership.rules import is_secretariat

for model in ("glossaryterm", "instrument", "ratification"):
    rules.add_perm(f"legal.view_{model}", rules.always_allow)
    for action in ("add", "change", "delete"):
        rules.add_perm(f"legal.{action}_{model}", is_secretariat)
