"""Convert Hart District Council's published KPI tiles to the perfsite contract.

Reads the two releases of the council's KPI tiles kept in raw/ (the JavaScript file
the council published on hartdc.github.io/tiles/, as it stood after the August 2014
and the November 2014 updates) and writes the data package in data/ plus
council-ratings.csv, the council's own RAG for each result, which the tests set
beside perfsite's computed status. Every judgement is listed in SOURCES.md.

Run from anywhere: ``python examples/hart/convert.py``. The output is committed; the
script is here so that anyone can check how each figure was carried over.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

HERE = Path(__file__).parent
RAW = HERE / "raw"
DATA = HERE / "data"

# The releases, oldest first: the file, and the periods of its "lq" (last quarter)
# and "tq" (this quarter) fields. "y" is the outturn of the previous financial year.
RELEASES = (
    ("tiles-2014-08-10.js", "2013-14 Q4", "2014-15 Q1"),
    ("tiles-2014-11-07.js", "2014-15 Q1", "2014-15 Q2"),
)
PREVIOUS_YEAR = "2013-14"

TILE = re.compile(r'\{i:(\d+),k:"([^"]*)",d:"([^"]*)",n:"([^"]*)",y:([^,]*),lq:([^,]*),tq:([^,]*),t:([^,]*),'
                  r's:"([a-z]*)",u:"([^"]*)",c:"([^"]*)",p:"([^"]*)"\}')
FIELDS = ("order", "ref", "description", "notes", "previous_year", "last_quarter", "this_quarter", "target",
          "status", "team", "c", "unit_sign")

# The tile's colour class: above target, close to target, below target, for information only.
COUNCIL_RATING = {"lg": "green", "la": "amber", "lr": "red", "ld": "not-rated", "lu": "not-rated"}

# Judgements the tiles do not state (see SOURCES.md): polarity, unit, measure and declared bounds.
# ref: (polarity, unit, measure, value_min, value_max)
JUDGEMENTS = {
    "ETS01": ("lower", "per 100,000 collections", "level", "", ""),
    "HR11": ("lower", "days per FTE", "cumulative", "", ""),
    "HS01": ("lower", "days", "level", "", ""),
    "HS07": ("higher", "cases", "level", "", ""),
    "HS08": ("higher", "%", "cumulative", "0", ""),  # spend can exceed the budget
    "HS16": ("higher", "homes", "level", "", ""),
    "IA01": ("higher", "%", "cumulative", "", ""),
    "LS05": ("higher", "days ahead (+) or behind (−) plan", "level", "", ""),
    "RB05": ("higher", "%", "cumulative", "", ""),
    "RB06": ("higher", "%", "cumulative", "", ""),
    "RB07": ("lower", "days", "level", "", ""),
    "RB08": ("lower", "days", "level", "", ""),
    "RB09": ("lower", "days", "level", "", ""),
    "SNH01": ("higher", "%", "level", "-100", "100"),  # a % reduction is negative when things got worse
    "SNH02": ("higher", "%", "level", "-100", "100"),
    "SNH03": ("none", "incidents", "level", "", ""),
    "SNH04": ("none", "incidents", "level", "", ""),
    "SNH06": ("none", "offences", "level", "", ""),
}
# A published 0 that is a placeholder, not a figure: (ref, period) -> why.
NOT_A_FIGURE = {
    ("ETS01", "2013-14 Q4"): "Published as 0: the note says the figures had yet to be agreed with Veolia.",
    ("ETS01", "2014-15 Q1"): "Published as 0: the note says the figures had yet to be agreed with Veolia.",
    ("ETS01", "2014-15 Q2"): "Published as 0: the note says the figures had yet to be agreed with Veolia.",
    ("IT06", "2014-15 Q2"): "Published as 0 (0 % website uptime is not possible): no figure yet.",
    ("PS05", "2014-15 Q2"): "Published as 0: no figure yet.",
}


def read_release(name: str) -> dict[str, dict[str, str]]:
    text = (RAW / name).read_text(encoding="utf-8")
    tiles = [dict(zip(FIELDS, match.groups())) for match in TILE.finditer(text)]
    assert len(tiles) == text.count("{i:"), f"{name}: a tile could not be read"
    return {tile["ref"]: tile for tile in tiles}


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("&", "and")).strip("-")


def write(name: str, header: list[str], rows: list[list[str]]) -> None:
    with open(DATA / name, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main() -> None:
    releases = [(read_release(name), last, this) for name, last, this in RELEASES]
    latest = releases[-1][0]
    DATA.mkdir(exist_ok=True)

    teams = list(dict.fromkeys(tile["team"] for tile in latest.values()))
    write("themes.csv", ["theme_id", "name", "description", "lead", "order"],
          [[slug(team), team, f"Key performance indicators owned by {team}.", "", str(i + 1)]
           for i, team in enumerate(teams)])

    indicators = []
    for ref, tile in latest.items():
        polarity, unit, measure, low, high = JUDGEMENTS.get(ref, ("higher", "%" if tile["unit_sign"] else "number",
                                                                   "level", "", ""))
        if tile["unit_sign"] == "%" and unit != "%":
            raise SystemExit(f"{ref}: the tile shows % but the judgement gives the unit {unit!r}")
        indicators.append([ref, tile["description"], slug(tile["team"]), "", "local", polarity, unit, "",
                           "quarterly", measure, "", "Hart District Council", tile["team"], low, high,
                           tile["description"]])
    write("indicators.csv", ["indicator_id", "title", "theme_id", "other_themes", "set", "polarity", "unit",
                             "decimals", "frequency", "measure", "tolerance", "source", "outcome_lead",
                             "value_min", "value_max", "definition"], indicators)

    # Results: each period as last published; a figure published differently before is a revision.
    published: dict[tuple[str, str], tuple[str, str]] = {}  # (ref, period) -> (value, release file)
    notes: dict[tuple[str, str], str] = {}
    for (tiles, last, this), (name, _, _) in zip(releases, RELEASES):
        for ref, tile in tiles.items():
            for period, value in ((last, tile["last_quarter"]), (this, tile["this_quarter"])):
                earlier = published.get((ref, period))
                if earlier and earlier[0] != value:
                    notes[(ref, period)] = (f"Revised: first published as {earlier[0]} ({earlier[1]}), "
                                            f"{value} in the {name} release.")
                published[(ref, period)] = (value, name)
            if tile["notes"] != "No notes":
                notes.setdefault((ref, this), "")
                notes[(ref, this)] = " ".join(filter(None, [notes[(ref, this)], tile["notes"]]))
    results = []
    for (ref, period), (value, _) in sorted(published.items(), key=lambda item: (list(latest).index(item[0][0]),
                                                                                 item[0][1])):
        note = notes.get((ref, period), "")
        if (ref, period) in NOT_A_FIGURE:
            value, note = "", " ".join(filter(None, [NOT_A_FIGURE[(ref, period)], note]))
        results.append([ref, period, value, "", note])
    write("results.csv", ["indicator_id", "period", "value", "status", "note"], results)

    # Targets: the tile's target is for its "this quarter"; 0 on an information-only tile means none.
    targets = []
    ratings = []
    for tiles, _, this in releases:
        for ref, tile in tiles.items():
            rating = COUNCIL_RATING[tile["status"]]
            ratings.append([ref, this, rating])
            if rating != "not-rated":
                targets.append([ref, this, tile["target"], "", "", ""])
    write("targets.csv", ["indicator_id", "period", "target", "monitoring_level", "stretch", "note"], targets)
    with open(HERE / "council-ratings.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["indicator_id", "period", "council_rating"])
        writer.writerows(ratings)

    # The previous year's outturn, shown beside each indicator as a comparator.
    write("benchmarks.csv", ["indicator_id", "period", "comparator", "value"],
          [[ref, PREVIOUS_YEAR, "Hart, 2013-14 outturn", tile["previous_year"]] for ref, tile in latest.items()])

    (DATA / "datapackage.yaml").write_text(
        "name: hart-kpis\n"
        "title: Hart District Council key performance indicators, 2013-14 Q4 to 2014-15 Q2\n"
        "version: 2014.11.07\n"
        "licenses:\n"
        "  - name: MIT\n"
        "    path: https://github.com/HartDC/hartdc.github.io/blob/master/LICENSE\n"
        "resources:\n"
        + "".join(f"  - name: {name}\n    path: {name}.csv\n"
                  for name in ("themes", "indicators", "results", "targets", "benchmarks")),
        encoding="utf-8")


if __name__ == "__main__":
    main()
