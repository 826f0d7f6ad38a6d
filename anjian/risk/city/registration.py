"""The city risk ranking's start-up: its navigation item, its audit names and its section of the accidents'
situation briefing."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from anjian.organizations.choices import OrgUnitKind
from anjian.organizations.models import OrgUnit
from anjian.risk.city.access import access_for, visible_rows
from anjian.risk.city.export import NO_DATA
from anjian.risk.city.ranking import compute_ranking


def _briefing_has_data(context) -> bool:
    access = access_for(context.user)
    return access is not None and OrgUnit.objects.filter(parent_id=access.city_id, kind=OrgUnitKind.DISTRICT).exists()


def _text(value) -> str:
    """A rank or score as the briefing prints it; 无数据 for an area without data."""
    return NO_DATA if value is None else str(value)


def _briefing_write(document, context) -> None:
    """The districts' ranking (published by the city) and, for a district, its own place and its streets'."""
    from anjian.accidents import briefing

    access = access_for(context.user)
    result = compute_ranking(parent=OrgUnit.objects.get(pk=access.city_id))
    own = result.overall.row_for(access.district_id) if access.district_id else None
    if own is not None and own.score is None:
        briefing.add_paragraph(document, f"{own.area.name}缺少城市安全风险评估所需数据（无数据），不参与排名。")
    elif own is not None:
        briefing.add_paragraph(
            document,
            f"按城市安全风险评估，{own.area.name}综合风险得分{own.score}，在全市{own.of}个区中排第{own.rank}名"
            "（得分越高风险越高，第1名风险最高）。",
        )
    else:
        briefing.add_paragraph(document, "全市各区城市安全风险综合得分及排名如下（得分越高风险越高，第1名风险最高）。")
    briefing.add_table(
        document,
        ["排名", "区", "综合得分", *[table.title for table in result.units]],
        [
            [
                _text(row.rank),
                row.area.name,
                _text(row.score),
                *[_text(t.row_for(row.area.pk).score) for t in result.units],
            ]
            for row in result.overall.rows
        ],
    )
    if access.district_id:
        streets = compute_ranking(parent=OrgUnit.objects.get(pk=access.district_id))
        rows = visible_rows(streets.overall, access)
        if rows:
            briefing.add_paragraph(document, "本区各街道（园区）城市安全风险综合得分及排名：")
            briefing.add_table(
                document,
                ["排名", "街道（园区）", "综合得分"],
                [[f"{row.rank}/{row.of}" if row.rank else NO_DATA, row.area.name, _text(row.score)] for row in rows],
            )


def register() -> None:
    """Called from the risk app's registration: the ranking's navigation item, audit names, briefing section."""
    from importlib.util import find_spec

    from anjian.core import audit_labels, navigation

    audit_labels.register(
        {
            "risk.units.weights": gettext_lazy("Risk assessment weights changed"),
            "risk.units.adopt": gettext_lazy("Default risk assessment units adopted"),
            "risk.unit.save": gettext_lazy("Risk assessment unit saved"),
            "risk.indicator.add": gettext_lazy("Risk indicator added"),
            "risk.indicator.remove": gettext_lazy("Risk indicator removed"),
            "risk.ranking.snapshot": gettext_lazy("Risk ranking recorded for a year"),
            "risk.ranking.export": gettext_lazy("Exported the risk ranking"),
        }
    )
    navigation.register(
        navigation.NavItem(
            key="risk_ranking",
            label=gettext_lazy("Risk ranking"),
            url_name="risk:ranking",
            group="risk",
            order=500,
        )
    )
    if find_spec("anjian.accidents.briefing") is not None:
        from anjian.accidents import briefing

        briefing.register_section(
            briefing.BriefingSection(
                key="risk_ranking",
                order=40,
                title=gettext_lazy("Risk ranking"),
                has_data=_briefing_has_data,
                write=_briefing_write,
            )
        )
