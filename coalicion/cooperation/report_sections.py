"""What cooperation contributes to the accountability report
(`coalicion.core.report_sections`): instruments and their stages, alliances
and joint actions, good practices and their replications, as of the report's
date. Counts include every record; lists name only what may be published
(what an anonymous reader may see: drafts of national instruments stay
counted, not named). The figures come from the selectors behind the
registries' pages and indicators."""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _

from coalicion.cooperation import selectors
from coalicion.core.report_sections import register


def _instruments(*, as_of, start, end, lang) -> dict | None:
    data = selectors.instruments_by_stage(as_of=as_of, user=AnonymousUser())
    if not data["types"]:
        return None
    stages = data["stages"]
    counts = [
        [kind["name"], *(kind["counts"].get(stage["code"], 0) for stage in stages)]
        for kind in data["types"]
    ]
    named = [
        [
            item["country"] or _("Regional"),
            item["title"],
            item["stage_name"],
            item["since"].isoformat(),
        ]
        for kind in data["types"]
        for item in kind["instruments"]
    ]
    tables = [
        {
            "title": _("Instruments per type and stage"),
            "columns": [_("Type of instrument"), *(stage["name"] for stage in stages)],
            "widths": [3, *(1 for _stage in stages)],
            "rows": counts,
        }
    ]
    if named:
        tables.append(
            {
                "title": _("Instruments published, with their stage"),
                "columns": [_("Country"), _("Instrument"), _("Stage"), _("Since")],
                "widths": [1, 4, 1, 1],
                "rows": named,
            }
        )
    paragraphs = []
    if data["hidden"]:
        paragraphs.append(
            _(
                "%(count)s national instruments still in preparation are counted in the first "
                "table but not named."
            )
            % {"count": data["hidden"]}
        )
    return {"title": _("Instruments and their stages"), "paragraphs": paragraphs, "tables": tables}


def _alliances(*, as_of, start, end, lang) -> dict | None:
    data = selectors.alliances_summary(as_of=as_of, user=None)
    if not data["alliances"] and not data["joint_actions"]:
        return None
    return {
        "title": _("Alliances and joint actions"),
        "tables": [
            {
                "title": _("Alliances and joint actions"),
                "columns": [_("Figure"), _("Number")],
                "widths": [4, 1],
                "rows": [
                    [_("Alliances formed"), data["alliances"]],
                    [
                        _("Alliances with other regional spaces"),
                        data["alliances_with_regional_spaces"],
                    ],
                    [_("Alliances in force"), data["in_force"]],
                    [_("Joint actions"), data["joint_actions"]],
                    [
                        _("Joint actions with other regional spaces"),
                        data["joint_actions_with_regional_spaces"],
                    ],
                ],
            }
        ],
    }


def _practices(*, as_of, start, end, lang) -> dict | None:
    data = selectors.practices_summary(as_of=as_of, user=None)
    if not data["practices"]:
        return None
    return {
        "title": _("Good practices and their replication"),
        "paragraphs": [
            _(
                "%(practices)s good practices registered; %(replicated)s of them replicated by "
                "another member country (%(replications)s replications)."
            )
            % {
                "practices": data["practices"],
                "replicated": data["practices_replicated"],
                "replications": data["replications"],
            }
        ],
        "tables": [
            {
                "title": _("Good practices per country"),
                "columns": [_("Country"), _("Practices given"), _("Practices adopted")],
                "widths": [2, 1, 1],
                "rows": [
                    [row["country"], row["given"], row["adopted"]] for row in data["by_country"]
                ],
            }
        ],
    }


register("accountability", key="instruments", order=70, data=_instruments)
register("accountability", key="alliances", order=75, data=_alliances)
register("accountability", key="practices", order=80, data=_practices)
