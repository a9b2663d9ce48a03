"""What a server process does with the objects it made while starting (ADR 0072).

Django, the apps, their URLconf and the plan's modules make some 150,000
objects that live as long as the process. Python's cyclic collector
traverses all of them at each full collection, and a request that builds
many small objects (the roll-up of a plan at scale 10 builds tens of
thousands) triggers several: 40 % of its time went to the collector.
Once started, a process moves those objects out of the collector's reach
(`gc.freeze`); what requests create is still collected as before. With
gunicorn's `preload_app` the frozen pages are also shared between workers
instead of copied on first touch.
"""

import gc


def settle_after_start() -> None:
    """Collect what starting left behind, then freeze the rest."""
    gc.collect()
    gc.freeze()
