#!/usr/bin/env python3
"""Write the example site's data package (data/*.csv) for the fictional Kingsmere partnership.

A development tool, run once to make plausible demonstration figures: seeded, so it
writes the same files every time. After that the CSV files are the example's source
of truth, edited as a publisher would edit them.

    python scripts/make_example_data.py [SITE_DIR]
"""

from __future__ import annotations

import csv
import math
import random
import sys
from pathlib import Path

YEARS = (2008, 2009, 2010)  # 2008-09 to 2010-11: the life of the National Indicator set
SEED = 2011

THEMES = [
    ("well-being", "Well-Being", "Health, social care and independence of adults and older people.", "Director of Public Health, Kingsmere PCT", 1),
    ("safer-communities", "Safer Communities", "Crime, antisocial behaviour, drugs, fire and road safety.", "Borough Commander, Kingsmere Police", 2),
    ("better-places", "Better Places", "Clean streets, waste and recycling, transport and climate change.", "Director of Urban Environment", 3),
    ("children-young-people", "Children & Young People", "Education, safeguarding and young people's prospects.", "Director of Children's Services", 4),
    ("integrated-housing", "Integrated Housing", "Homelessness, affordable and decent homes, fuel poverty.", "Director of Housing", 5),
    ("enterprise", "Enterprise", "Employment, skills and business.", "Assistant Chief Executive, Regeneration", 6),
]

# id, title, theme, other themes, set, polarity, unit, decimals, frequency, measure, source, base, yearly change,
# noise (fraction), target path (yearly change the target asks for), monitoring margin (fraction of target)
I = [
    ("NI-039", "Rate of hospital admissions per 100,000 for alcohol related harm", "well-being", "safer-communities", "NI", "lower", "per 100,000 population", 0, "quarterly", "level", "Kingsmere PCT", 440, 0.06, 0.02, -0.03, 0.05),
    ("NI-123", "Stopping smoking", "well-being", "", "LAA", "higher", "per 100,000 population aged 16 and over", 0, "quarterly", "cumulative", "Kingsmere PCT", 900, 0.04, 0.03, 0.08, 0.10),
    ("NI-125", "Achieving independence for older people through rehabilitation/intermediate care", "well-being", "", "NI", "higher", "%", 1, "annual", "level", "Council", 81.0, 0.015, 0.01, 0.01, 0.03),
    ("NI-130", "Social care clients receiving self directed support per 100,000 population", "well-being", "", "LAA", "higher", "per 100,000 population aged 18 and over", 0, "quarterly", "level", "Council", 120, 0.35, 0.02, 0.40, 0.10),
    ("NI-135", "Carers receiving needs assessment or review and a specific carer's service, or advice and information", "well-being", "", "LAA", "higher", "%", 1, "quarterly", "level", "Council", 18.0, 0.10, 0.02, 0.12, 0.08),
    ("NI-008", "Adult participation in sport and active recreation", "well-being", "better-places", "NI", "higher", "%", 1, "annual", "level", "Sport England Active People Survey", 20.5, 0.01, 0.01, 0.04, 0.05),
    ("NI-131", "Delayed transfers of care from hospitals", "well-being", "", "NI", "lower", "per 100,000 population aged 18 and over", 1, "monthly", "level", "Kingsmere PCT", 12.0, -0.05, 0.03, -0.06, 0.08),
    ("NI-015", "Serious violent crime rate", "safer-communities", "", "LAA", "lower", "per 1,000 population", 2, "quarterly", "level", "Kingsmere Police", 0.45, -0.04, 0.03, -0.05, 0.08),
    ("NI-016", "Serious acquisitive crime rate", "safer-communities", "", "LAA", "lower", "per 1,000 population", 2, "monthly", "level", "Kingsmere Police", 2.60, -0.03, 0.03, -0.05, 0.06),
    ("NI-020", "Assault with injury crime rate", "safer-communities", "well-being", "LAA", "lower", "per 1,000 population", 2, "quarterly", "level", "Kingsmere Police", 2.10, 0.03, 0.02, -0.04, 0.05),
    ("NI-030", "Re-offending rate of prolific and other priority offenders", "safer-communities", "", "NI", "higher", "%", 1, "quarterly", "level", "Kingsmere Police and Probation", 24.0, 0.06, 0.04, 0.05, 0.10),
    ("NI-040", "Number of drug users recorded as being in effective treatment", "safer-communities", "well-being", "LAA", "higher", "number", 0, "quarterly", "level", "National Treatment Agency", 980, 0.05, 0.015, 0.06, 0.04),
    ("NI-047", "People killed or seriously injured in road traffic accidents", "safer-communities", "better-places", "NI", "lower", "number", 0, "annual", "level", "Transport for London", 118, -0.08, 0.02, -0.06, 0.10),
    ("NI-049", "Number of primary fires and related fatalities and non-fatal casualties, excluding precautionary checks", "safer-communities", "", "NI", "lower", "number", 0, "quarterly", "cumulative", "Fire and Rescue Service", 420, -0.05, 0.03, -0.04, 0.10),
    ("LOC-SC1", "Anti-social behaviour incidents reported to the police", "safer-communities", "", "local", "none", "number", 0, "monthly", "level", "Kingsmere Police", 1450, -0.02, 0.03, 0.0, 0.0),
    ("NI-191", "Residual household waste per household", "better-places", "", "NI", "lower", "kg", 0, "quarterly", "cumulative", "Council", 660, -0.04, 0.015, -0.04, 0.04),
    ("NI-192", "Percentage of household waste sent for reuse, recycling and composting", "better-places", "", "LAA", "higher", "%", 1, "quarterly", "level", "Council", 24.0, 0.08, 0.02, 0.10, 0.05),
    ("NI-195", "Improved street and environmental cleanliness: litter", "better-places", "", "LAA", "lower", "%", 0, "six-monthly", "level", "Council", 11.0, -0.05, 0.03, -0.08, 0.10),
    ("NI-186", "Per capita reduction in CO2 emissions in the LA area", "better-places", "", "LAA", "higher", "%", 1, "annual", "level", "Department of Energy and Climate Change", 2.0, 0.20, 0.02, 0.25, 0.25),
    ("NI-175", "Access to services and facilities by public transport, walking and cycling", "better-places", "", "NI", "higher", "%", 1, "annual", "level", "Council", 82.0, 0.01, 0.005, 0.01, 0.02),
    ("LOC-BP1", "Calls to the council contact centre about street cleaning", "better-places", "", "local", "none", "number", 0, "monthly", "level", "Council", 610, -0.04, 0.04, 0.0, 0.0),
    ("NI-117", "16 to 18 year olds who are not in education, training or employment (NEET)", "children-young-people", "enterprise", "LAA", "lower", "%", 1, "monthly", "level", "Connexions", 8.2, -0.04, 0.025, -0.08, 0.06),
    ("NI-112", "Under 18 conception rate", "children-young-people", "well-being", "LAA", "lower", "per 1,000 females aged 15-17", 1, "quarterly", "level", "Office for National Statistics", 54.0, -0.05, 0.03, -0.07, 0.06),
    ("NI-111", "First time entrants to the Youth Justice System aged 10-17", "children-young-people", "safer-communities", "LAA", "lower", "per 100,000 population aged 10-17", 0, "quarterly", "level", "Youth Offending Service", 1900, -0.09, 0.03, -0.07, 0.08),
    ("NI-075", "Achievement of 5 or more A*-C grades at GCSE or equivalent including English and Maths", "children-young-people", "", "LAA", "higher", "%", 1, "annual", "level", "Department for Education", 44.0, 0.07, 0.01, 0.08, 0.05),
    ("NI-062", "Stability of placements of looked after children: number of placements", "children-young-people", "", "NI", "lower", "%", 1, "quarterly", "level", "Council", 11.5, -0.03, 0.03, -0.04, 0.10),
    ("NI-056", "Obesity among primary school age children in Year 6", "children-young-people", "well-being", "LAA", "lower", "%", 1, "annual", "level", "Kingsmere PCT", 22.5, 0.01, 0.01, -0.02, 0.04),
    ("NI-060", "Core assessments for children's social care that were carried out within 35 working days of their commencement", "children-young-people", "", "NI", "higher", "%", 1, "quarterly", "level", "Council", 74.0, 0.03, 0.02, 0.05, 0.06),
    ("NI-156", "Number of households living in temporary accommodation", "integrated-housing", "", "LAA", "lower", "number", 0, "quarterly", "level", "Council", 3100, -0.10, 0.01, -0.12, 0.04),
    ("NI-155", "Number of affordable homes delivered (gross)", "integrated-housing", "better-places", "LAA", "higher", "number", 0, "quarterly", "cumulative", "Council", 520, -0.06, 0.03, 0.05, 0.15),
    ("NI-154", "Net additional homes provided", "integrated-housing", "", "NI", "higher", "number", 0, "annual", "level", "Council", 780, -0.08, 0.02, 0.03, 0.10),
    ("NI-158", "% non-decent council homes", "integrated-housing", "", "NI", "lower", "%", 1, "annual", "level", "Kingsmere Homes", 38.0, -0.15, 0.01, -0.15, 0.08),
    ("NI-181", "Time taken to process Housing Benefit/Council Tax Benefit new claims and change events", "integrated-housing", "enterprise", "NI", "lower", "days", 1, "monthly", "level", "Council", 24.0, -0.12, 0.03, -0.12, 0.10),
    ("LOC-IH1", "Households prevented from becoming homeless through casework", "integrated-housing", "", "local", "higher", "number", 0, "quarterly", "cumulative", "Council", 610, 0.06, 0.03, 0.08, 0.10),
    ("NI-152", "Working age people on out of work benefits", "enterprise", "", "LAA", "lower", "%", 1, "quarterly", "level", "Department for Work and Pensions", 15.1, 0.03, 0.01, -0.02, 0.03),
    ("NI-153", "Working age people claiming out of work benefits in the worst performing neighbourhoods", "enterprise", "integrated-housing", "LAA", "lower", "%", 1, "quarterly", "level", "Department for Work and Pensions", 27.5, 0.02, 0.01, -0.02, 0.03),
    ("NI-151", "Overall employment rate (working-age)", "enterprise", "", "NI", "higher", "%", 1, "quarterly", "level", "Office for National Statistics Annual Population Survey", 64.0, -0.01, 0.01, 0.01, 0.03),
    ("NI-163", "Proportion of population aged 19-64 for males and 19-59 for females qualified to at least Level 2 or higher", "enterprise", "children-young-people", "LAA", "higher", "%", 1, "annual", "level", "Office for National Statistics Annual Population Survey", 66.0, 0.02, 0.01, 0.025, 0.03),
    ("NI-171", "New business registration rate", "enterprise", "", "NI", "higher", "per 10,000 population aged 16 and over", 1, "annual", "level", "Department for Business, Innovation and Skills", 58.0, -0.05, 0.02, 0.03, 0.06),
    ("LOC-EN1", "Residents helped into work by the Kingsmere Works programme", "enterprise", "integrated-housing", "local", "higher", "number", 0, "quarterly", "cumulative", "Council", 380, 0.10, 0.03, 0.10, 0.12),
]

# What each indicator measures, in the words a reader needs: paraphrased from the national indicator
# definitions (Communities and Local Government handbook, 2008, as revised in 2009) or, for local
# indicators, as the partnership defines them.
DEFINITIONS = {
    "NI-039": "Hospital admissions in which an alcohol-related condition is the main diagnosis or a secondary cause, "
              "weighted by the share of each condition attributable to alcohol, per 100,000 population, standardised "
              "for age and sex.",
    "NI-123": "People aged 16 and over who set a quit date with the NHS Stop Smoking Service and said at the "
              "four-week follow-up that they had not smoked since, per 100,000 population aged 16 and over.",
    "NI-125": "Older people (aged 65 and over) discharged from hospital to rehabilitation or intermediate care who "
              "are still living at home 91 days after discharge, as a percentage of all those discharged.",
    "NI-130": "Adults, older people and carers receiving social care through a direct payment or an individual "
              "budget, per 100,000 population aged 18 and over.",
    "NI-135": "Carers whose needs were assessed or reviewed in the year and who then received a carer's service, or "
              "advice and information, as a percentage of people receiving community-based services.",
    "NI-008": "Adults taking part in at least 30 minutes of sport and active recreation of moderate intensity on at "
              "least three days a week, as a percentage of adults, from Sport England's Active People Survey.",
    "NI-131": "Patients ready to leave hospital whose transfer of care was delayed, as an average weekly count, per "
              "100,000 population aged 18 and over.",
    "NI-015": "The most serious violence against the person recorded by the police, such as homicide, attempted "
              "murder and grievous bodily harm with intent, per 1,000 population.",
    "NI-016": "Burglaries from homes, robberies, and thefts of and from vehicles recorded by the police, per 1,000 "
              "population.",
    "NI-020": "Assaults causing less serious injury recorded by the police, per 1,000 population.",
    "NI-030": "How much less often the prolific and other priority offenders in the local scheme are convicted than "
              "they were before joining it: the percentage fall in convictions against their baseline.",
    "NI-040": "People aged 18 and over in drug treatment who stayed in treatment for at least twelve weeks or "
              "finished it in a planned way.",
    "NI-047": "People killed or seriously injured in road traffic collisions reported to the police in the calendar "
              "year.",
    "NI-049": "Primary fires (in buildings, vehicles and some outdoor structures) and the deaths and injuries in "
              "them, not counting people taken to hospital only for precautionary checks.",
    "LOC-SC1": "Anti-social behaviour incidents reported to the police in the borough. A count to watch, not a "
               "target: a rise can mean more reporting as well as more nuisance.",
    "NI-191": "Household waste collected that is not reused, recycled or composted, in kilograms per household.",
    "NI-192": "Household waste sent for reuse, recycling, composting or anaerobic digestion, as a percentage of all "
              "household waste collected.",
    "NI-195": "Sites surveyed that fall below an acceptable standard for litter, as a percentage of sites surveyed "
              "(the litter element of NI 195; detritus, graffiti and fly-posting are reported separately).",
    "NI-186": "The fall in carbon dioxide emissions per resident from homes, businesses and road transport in the "
              "area, as a percentage of emissions in the 2005 baseline year.",
    "NI-175": "Households within a reasonable journey time of key services (work, schools, GPs, hospitals, food "
              "shops) by public transport, walking or cycling, as a percentage of households.",
    "LOC-BP1": "Calls to the council's contact centre about litter, fly-tipping and street cleaning. A count to watch, "
               "not a target.",
    "NI-117": "Young people aged 16 to 18 known to Connexions who are not in education, employment or training, as "
              "a percentage of all 16 to 18 year olds known to Connexions.",
    "NI-112": "Conceptions to girls aged under 18, per 1,000 females aged 15 to 17.",
    "NI-111": "Young people aged 10 to 17 receiving their first reprimand, final warning or conviction, per 100,000 "
              "population aged 10 to 17.",
    "NI-075": "Pupils at the end of Key Stage 4 achieving five or more GCSEs at grades A* to C, or equivalent, "
              "including English and mathematics, as a percentage of all such pupils.",
    "NI-062": "Looked after children who had three or more placements during the year, as a percentage of all "
              "looked after children.",
    "NI-056": "Children in Year 6 measured by the National Child Measurement Programme who are obese, as a "
              "percentage of all Year 6 children measured.",
    "NI-060": "Core assessments for children's social care completed within 35 working days of starting, as a "
              "percentage of core assessments completed.",
    "NI-156": "Households living in temporary accommodation arranged by the council under the homelessness "
              "legislation, counted at the end of the quarter.",
    "NI-155": "New affordable homes (social rented and intermediate) delivered, counted before any losses through "
              "demolition or sale.",
    "NI-154": "The net increase in homes in the borough over the year: new homes built or converted, less homes "
              "demolished or lost.",
    "NI-158": "Council homes that do not meet the Decent Homes Standard, as a percentage of all council homes.",
    "NI-181": "The average number of calendar days taken to process new claims for Housing Benefit and Council "
              "Tax Benefit and changes to existing claims.",
    "LOC-IH1": "Households at risk of homelessness who kept their home, or found another, through the council's "
               "casework.",
    "NI-152": "Residents of working age claiming out-of-work benefits, as a percentage of the working-age "
              "population.",
    "NI-153": "Residents of working age claiming out-of-work benefits in the neighbourhoods with the highest "
              "claimant rates, as a percentage of the working-age population of those neighbourhoods.",
    "NI-151": "Residents of working age in employment, as a percentage of the working-age population, from the "
              "Annual Population Survey (a sample survey, so shown with its confidence interval).",
    "NI-163": "Men aged 19 to 64 and women aged 19 to 59 qualified to at least Level 2 (five good GCSEs or "
              "equivalent), as a percentage of that population.",
    "NI-171": "New businesses registered in the year, per 10,000 population aged 16 and over.",
    "LOC-EN1": "Residents on the Kingsmere Works programme who started a job, counted once per person in the "
               "financial year.",
}

GAPS = {("NI-016", "2009 Nov"): "Police recording system upgrade: November figures could not be extracted.",
        ("NI-062", "2009-10 Q2"): "Data not returned by the placements team for this quarter.",
        ("LOC-BP1", "2010 Aug"): "Telephony reports unavailable after the switch to the new contact centre system."}
NOTES = {("NI-112", "2008-09 Q1"): "Baseline quarter: includes conceptions registered late from 2007."}
MONTHS = ("Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar")
PER_YEAR = {"monthly": 12, "quarterly": 4, "six-monthly": 2, "annual": 1}


def period_label(year: int, frequency: str, n: int) -> str:
    fy = f"{year}-{(year + 1) % 100:02d}"
    if frequency == "annual":
        return fy
    if frequency == "quarterly":
        return f"{fy} Q{n}"
    if frequency == "six-monthly":
        return f"{fy} H{n}"
    return f"{year if n <= 9 else year + 1} {MONTHS[n - 1]}"


def fmt(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"


def main(site: Path) -> None:
    rng = random.Random(SEED)
    data = site / "data"
    data.mkdir(parents=True, exist_ok=True)
    results, targets, benchmarks, assessments = [], [], [], []
    indicator_rows = []
    for (ident, title, theme, others, iset, polarity, unit, decimals, frequency, measure, source, base, change,
         noise, goal, margin) in I:
        indicator_rows.append([ident, title, theme, others, iset, polarity, unit, decimals, frequency,
                               "" if measure == "level" else measure, "", source,
                               f"Lead officer, {dict((t[0], t[1]) for t in THEMES)[theme]}",
                               f"{DEFINITIONS[ident]} Reported {frequency}{', as a year-to-date total' if measure == 'cumulative' else ''}."])
        per_year = PER_YEAR[frequency]
        percent = unit == "%"
        for y_index, year in enumerate(YEARS):
            level = base * (1 + change) ** y_index
            if polarity != "none":
                target = base * (1 + goal) ** (y_index + 1) if goal else base
                if percent:
                    target = min(target, 99.0)
                monitoring = target * (1 - margin) if polarity == "higher" else target * (1 + margin)
                targets.append([ident, f"{year}-{(year + 1) % 100:02d}", fmt(target, decimals),
                                fmt(monitoring, decimals), "", ""])
            for n in range(1, per_year + 1):
                label = period_label(year, frequency, n)
                progress = n / per_year
                seasonal = 1 + (0.04 * math.sin(2 * math.pi * progress) if frequency in ("monthly", "quarterly") else 0)
                value = level * (1 + change * progress) * seasonal * (1 + rng.gauss(0, noise))
                if measure == "cumulative":
                    value = value * progress
                if percent:
                    value = max(0.5, min(99.5, value))
                row = [ident, label, fmt(value, decimals), "", "", "", "", "", ""]
                if (ident, label) in NOTES:
                    row[4] = NOTES[(ident, label)]
                if (ident, label) in GAPS:
                    row[2], row[4] = "", GAPS[(ident, label)]
                elif year == YEARS[-1] and n == per_year and source.startswith(("Kingsmere Police", "Kingsmere PCT")):
                    row[3] = "provisional"
                if ident == "NI-117" and row[2]:
                    cohort = 7200 + 40 * y_index
                    neet = round(cohort * float(row[2]) / 100)
                    row[2], row[5], row[6] = fmt(100 * neet / cohort, decimals), str(neet), str(cohort)
                if ident in ("NI-151", "NI-008") and row[2]:
                    half_width = 2.4 if ident == "NI-151" else 1.8
                    row[7], row[8] = fmt(float(row[2]) - half_width, decimals), fmt(float(row[2]) + half_width, decimals)
                results.append(row)
        if frequency == "annual" and polarity != "none":
            for year in YEARS[:2]:
                england = base * (1 + goal / 2) ** (year - YEARS[0])
                benchmarks.append([ident, f"{year}-{(year + 1) % 100:02d}", "England", fmt(england, decimals)])
                benchmarks.append([ident, f"{year}-{(year + 1) % 100:02d}", "London", fmt(england * 1.03, decimals)])
    assessments.append(["NI-075", "2010-11", "difficult",
                        "Mock examination results in January were below last year's; intensive English and maths support is in place in four schools."])
    assessments.append(["NI-154", "2010-11", "unlikely",
                        "Two large schemes stalled when their developers could not secure finance; completions will slip into 2011-12."])

    def write(name: str, header: list[str], rows: list[list]) -> None:
        with open(data / f"{name}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)

    write("themes", ["theme_id", "name", "description", "lead", "order"], [list(t) for t in THEMES])
    write("indicators", ["indicator_id", "title", "theme_id", "other_themes", "set", "polarity", "unit", "decimals",
                         "frequency", "measure", "tolerance", "source", "outcome_lead", "definition"], indicator_rows)
    write("results", ["indicator_id", "period", "value", "status", "note", "numerator", "denominator", "lower_ci",
                      "upper_ci"], results)
    write("targets", ["indicator_id", "period", "target", "monitoring_level", "stretch", "note"], targets)
    write("benchmarks", ["indicator_id", "period", "comparator", "value"], benchmarks)
    write("assessments", ["indicator_id", "period", "forecast", "reason"], assessments)
    spend = []
    programmes = {
        "well-being": [("Stop smoking service", 180000), ("Carers' breaks and support", 240000)],
        "safer-communities": [("Drug intervention programme", 320000), ("Neighbourhood anti-social behaviour teams", 260000)],
        "better-places": [("Recycling outreach and communal collections", 150000), ("Street scene enforcement", 120000)],
        "children-young-people": [("Youth inclusion and diversion", 210000), ("Teenage pregnancy prevention", 140000)],
        "integrated-housing": [("Homelessness prevention and tenancy sustainment", 280000)],
        "enterprise": [("Kingsmere Works employment support", 420000), ("Business start-up advice", 90000)],
    }
    for theme, items in programmes.items():
        for programme, annual in items:
            for year in YEARS:
                for q in range(1, 5):
                    budget = annual / 4
                    actual = budget * (1 + rng.gauss(0, 0.08))
                    spend.append([theme, programme, f"{year}-{(year + 1) % 100:02d} Q{q}", f"{budget:.0f}",
                                  f"{actual:.0f}", "ABG"])
    write("spend", ["theme_id", "programme", "period", "budget", "actual", "funding"], spend)
    (data / "datapackage.yaml").write_text(
        "# The Kingsmere Strategic Partnership's performance data package (demonstration data).\n"
        "name: kingsmere-performance\n"
        "title: Kingsmere Strategic Partnership performance data\n"
        "version: 3.4.0\n"
        "licenses:\n  - name: OGL-UK-3.0\n    title: Open Government Licence v3.0\n"
        "resources:\n" + "".join(f"  - name: {n}\n    path: {n}.csv\n" for n in
                                  ("themes", "indicators", "results", "targets", "spend", "benchmarks", "assessments")),
        encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent)
