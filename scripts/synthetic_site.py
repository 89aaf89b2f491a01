#!/usr/bin/env python3
"""Write a large synthetic site folder in the contract's format, for benchmarks.

Plausible rather than pretty: many indicators of every frequency and polarity, long
series with noise, some gaps explained in the note, percentages with numerators and
denominators and confidence intervals, targets with monitoring levels, spend lines.
Seeded, so the same arguments always write the same files. It validates with no
errors (a few warnings from the series rules are expected, as in real data).

    python scripts/synthetic_site.py OUT_DIR [--results 1000000]
    python scripts/synthetic_site.py OUT_DIR --indicators 2000 --years 4 --frequencies quarterly

The first form fills 30 years of monthly, quarterly and annual series until it has the
rows asked for; the second writes exactly that many indicators with that many years
each (the site sizes of the scale curve in docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import Optional, Sequence

import numpy as np
import pandas as pd

SEED = 20111
LAST_YEAR = 2019  # every series ends in the financial year 2019-20
HISTORY_YEARS = 30  # series start in 1990-91 unless --years says otherwise
THEMES = ("well-being", "safer-communities", "better-places", "children-young-people",
          "integrated-housing", "enterprise")
FREQUENCIES = ("monthly", "quarterly", "quarterly", "annual")
PER_YEAR = {"monthly": 12, "quarterly": 4, "annual": 1}
MONTHS = ("Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar")


def period_labels(frequency: str, count: int, first_year: int) -> list[str]:
    labels = []
    for index in range(count):
        if frequency == "annual":
            year = first_year + index
            labels.append(f"{year}-{(year + 1) % 100:02d}")
        elif frequency == "quarterly":
            year = first_year + index // 4
            labels.append(f"{year}-{(year + 1) % 100:02d} Q{index % 4 + 1}")
        else:
            month = index % 12
            year = first_year + index // 12 + (1 if month >= 9 else 0)
            labels.append(f"{year} {MONTHS[month]}")
    return labels


def write(out: Path, wanted_results: Optional[int] = 1_000_000, indicators: Optional[int] = None,
          years: int = HISTORY_YEARS, frequencies: Sequence[str] = FREQUENCIES) -> dict[str, int]:
    """With ``indicators``, exactly that many indicators of ``years`` each; otherwise
    indicators of ``years`` each until ``wanted_results`` rows are written."""
    rng = np.random.default_rng(SEED)
    data = out / "data"
    data.mkdir(parents=True, exist_ok=True)
    (out / "content" / "pages").mkdir(parents=True, exist_ok=True)
    first_year = LAST_YEAR - years + 1
    lengths = {frequency: years * per_year for frequency, per_year in PER_YEAR.items()}
    if indicators is not None:
        indicator_count = indicators
        wanted_results = sum(lengths[frequencies[n % len(frequencies)]] for n in range(indicators))
    else:
        per_cycle = sum(lengths[f] for f in frequencies)
        indicator_count = max(len(THEMES), math.ceil(wanted_results / per_cycle * len(frequencies)))

    indicator_rows, result_frames, target_rows = [], [], []
    produced = 0
    for number in range(indicator_count):
        if produced >= wanted_results:
            break
        frequency = frequencies[number % len(frequencies)]
        length = min(lengths[frequency], wanted_results - produced)
        percentage = number % 3 == 0
        polarity = ("higher", "lower", "higher", "none")[number % 4] if not percentage else "higher"
        indicator_id = f"SYN-{number:05d}"
        theme = THEMES[number % len(THEMES)]
        other = THEMES[(number + 1) % len(THEMES)] if number % 5 == 0 else ""
        indicator_rows.append({
            "indicator_id": indicator_id, "title": f"Synthetic indicator {number}", "theme_id": theme,
            "other_themes": other, "set": "local", "polarity": polarity, "unit": "%" if percentage else "number",
            "decimals": 1, "frequency": frequency, "measure": "level", "tolerance": "",
            "source": "Synthetic", "outcome_lead": "Head of Performance",
            "definition": "A synthetic series for benchmarks.",
        })
        base = rng.uniform(30, 70) if percentage else rng.uniform(100, 5000)
        trend = np.linspace(0, rng.uniform(-0.1, 0.1) * base, length)
        values = np.round(base + trend + rng.normal(0, base * 0.02, length), 1)
        frame = pd.DataFrame({"indicator_id": indicator_id, "period": period_labels(frequency, length, first_year),
                              "value": values.astype(str), "status": "", "note": "",
                              "numerator": "", "denominator": "", "lower_ci": "", "upper_ci": ""})
        if percentage:
            denominator = rng.integers(800, 5000, length)
            numerator = np.round(values / 100 * denominator).astype(int)
            frame["value"] = np.round(numerator / denominator * 100, 1).astype(str)
            frame["numerator"], frame["denominator"] = numerator.astype(str), denominator.astype(str)
            shown = numerator / denominator * 100
            frame["lower_ci"] = np.round(np.floor(shown * 10) / 10 - 2, 1).astype(str)
            frame["upper_ci"] = np.round(np.ceil(shown * 10) / 10 + 2, 1).astype(str)
        gaps = rng.random(length) < 0.002
        for column in ("value", "numerator", "denominator", "lower_ci", "upper_ci"):
            frame.loc[gaps, column] = ""
        frame.loc[gaps, "note"] = "Not collected: system change"
        frame.loc[frame.index[-1], "status"] = "provisional"
        result_frames.append(frame)
        produced += length
        if polarity != "none":
            latest = float(values[-1])
            better = 1 if polarity == "higher" else -1
            last_year = first_year + (length - 1) // PER_YEAR[frequency]
            for year in range(last_year - 2, last_year + 1):  # targets for the latest three years
                target = round(latest * (1 + better * 0.02), 1)
                if percentage:
                    target = min(target, 99.0)
                target_rows.append({"indicator_id": indicator_id, "period": f"{year}-{(year + 1) % 100:02d}",
                                    "target": target, "monitoring_level": round(target - better * abs(target) * 0.05, 1),
                                    "stretch": "", "note": ""})

    pd.DataFrame([{"theme_id": t, "name": t.replace("-", " ").title(), "description": "Synthetic theme.",
                   "lead": "Director", "order": i + 1} for i, t in enumerate(THEMES)]).to_csv(data / "themes.csv", index=False)
    pd.DataFrame(indicator_rows).to_csv(data / "indicators.csv", index=False)
    results = pd.concat(result_frames, ignore_index=True)
    results.to_csv(data / "results.csv", index=False)
    pd.DataFrame(target_rows).to_csv(data / "targets.csv", index=False)
    pd.DataFrame([{"theme_id": t, "programme": "Area Based Grant programme", "period": f"2019-20 Q{q}",
                   "budget": 25000, "actual": 24000 + q * 100, "funding": "ABG"}
                  for t in THEMES for q in range(1, 5)]).to_csv(data / "spend.csv", index=False)
    pd.DataFrame(columns=["indicator_id", "period", "forecast", "reason"]).to_csv(data / "assessments.csv", index=False)
    (data / "datapackage.yaml").write_text(
        "name: synthetic-performance\ntitle: Synthetic benchmark data\nversion: 1.0.0\nresources:\n"
        + "".join(f"  - name: {name}\n    path: {name}.csv\n"
                  for name in ("themes", "indicators", "results", "targets", "spend", "assessments")),
        encoding="utf-8")
    (out / "site.yaml").write_text(
        "title: Synthetic performance\norganisation: Synthetic partnership\n"
        "base_url: https://synthetic.example/\ndemonstration: true\ntimetable:\n  as_of: 2020-05-01\n",
        encoding="utf-8")
    return {"indicators": len(indicator_rows), "results": len(results), "targets": len(target_rows),
            "results_bytes": (data / "results.csv").stat().st_size}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--results", type=int, default=1_000_000, help="how many result rows (default 1,000,000)")
    parser.add_argument("--indicators", type=int, help="exactly this many indicators (then --results is ignored)")
    parser.add_argument("--years", type=int, default=HISTORY_YEARS, help=f"years of each series (default {HISTORY_YEARS})")
    parser.add_argument("--frequencies", default=",".join(FREQUENCIES),
                        help="comma-separated frequencies the indicators cycle through (default %(default)s)")
    arguments = parser.parse_args()
    frequencies = tuple(f.strip() for f in arguments.frequencies.split(",") if f.strip())
    unknown = sorted(set(frequencies) - set(PER_YEAR))
    if unknown:
        parser.error(f"unknown frequency {', '.join(unknown)}: choose from {', '.join(PER_YEAR)}")
    counts = write(arguments.out, arguments.results, arguments.indicators, arguments.years, frequencies)
    print(", ".join(f"{name}: {count:,}" for name, count in counts.items()))


if __name__ == "__main__":
    main()
