"""Finding what the apps contribute through a hook: a module of a given
name in every installed app (`sections`, `navigation`, `planfile`, `demo`)."""

from importlib import import_module
from importlib.util import find_spec
from types import ModuleType

from django.apps import apps


def app_modules(name: str, *, defining: str | None = None) -> list[ModuleType]:
    """The module `name` of every installed app that has one, imported, in
    INSTALLED_APPS order; with `defining`, only those that define that name
    (so `coalicion.core.planfile`, the hook's own module, is not a part)."""
    found = []
    for config in apps.get_app_configs():
        module_name = f"{config.name}.{name}"
        if find_spec(module_name) is None:
            continue
        module = import_module(module_name)
        if defining is None or hasattr(module, defining):
            found.append(module)
    return found
