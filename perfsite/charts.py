"""Trend charts: altair specs rendered at build time to static, accessible SVG.

A chart is a pure function of its data: the spec is built with altair once per
shape (with or without target, monitoring level, provisional points) and the
values are swapped in as a named dataset; the Vega spec compiled from it is kept
per layout, and the values are swapped into that too. vl-convert renders the SVG with Vega's
own ARIA output turned off (it is slow and leaves the root unnamed); instead the
<svg> gets role="img", a <title> and a <desc> holding the one-sentence summary,
and the page shows the data table beside it.

Rendering is cached by a hash of the spec, so unchanged charts cost nothing on
the next build. Large sites render on the build's workers (perfsite/workers.py): a
pool of *spawned* processes, since vl-convert must never be forked after it has run,
or a Dask cluster.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import math
import os
import pickle
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from html import escape
from pathlib import Path
from typing import Optional

from .cache import PICKLE_PROTOCOL, fingerprint, installed_version, mark_used, perfsite_fingerprint
from .config import ChartSettings
from .workers import InlineWorkers

RESULT_COLOUR = "#1d70b8"  # 5.2:1 against white
TARGET_COLOUR = "#0b0c0c"
MONITORING_COLOUR = "#505a5f"
# The charts' font ships with perfsite (perfsite/fonts/, DejaVu Sans, Bitstream Vera licence)
# and is registered with vl-convert, so label layout, and so the SVG, is the same on
# every machine, whatever fonts it has installed. Browsers draw the text with the
# first family of the list that they have.
FONT_FOLDER = Path(__file__).parent / "fonts"
FONT_FAMILY = "DejaVu Sans"
FONT = f"{FONT_FAMILY}, Verdana, sans-serif"
MAX_LABELS = 7  # period labels that fit along the axis without overlapping
MAX_NARROW_LABELS = 1  # the same on the narrow chart drawn for phones: the latest period
# Chart text in pixels of the chart's own width. The wide chart is shown from 48em
# (768 px), where it is drawn at least 1.15 times its size; the narrow one below, at
# about 0.9 times: both then keep their text at least as large as the page's small print.
FONT_SIZE = 16
NARROW_FONT_SIZE = 19
# Dash patterns (SVG stroke-dasharray, in pixels) that tell the lines apart in black and white:
# the result is solid, the target dashed, the monitoring level dotted. The chart's key, in the
# page's HTML beside the chart (ChartData.key_entries), shows each line with the same pattern.
RESULT_DASHES = (1, 0)
TARGET_DASHES = (6, 4)
MONITORING_DASHES = (2, 3)
# Compiled chart layouts a drawing process keeps (a few kilobytes each): a site has a layout
# for each combination of chart shape, periods and unit, far fewer than its charts.
COMPILED_LAYOUTS_KEPT = 512
SPEC_TEMPLATES_FOLDER = "templates"  # in the chart cache: each chart shape's spec template (KeptSpecTemplates)


@dataclass(frozen=True)
class ChartPoint:
    """One period of a chart; a chart's points are in period order, oldest first."""

    label: str  # the period as written
    value: Optional[float]
    provisional: bool = False
    target: Optional[float] = None
    monitoring_level: Optional[float] = None


@dataclass(frozen=True)
class ChartWords:
    """The words a chart draws, in its key: the three lines and the two kinds of figure.
    English by default; render.py gives them in the site's language."""

    result: str = "Result"
    target: str = "Target"
    monitoring_level: str = "Monitoring level"
    final: str = "Final"
    provisional: str = "Provisional"


@dataclass(frozen=True)
class KeyEntry:
    """One entry of a chart's key: a line (with its colour and dash pattern) or a kind of
    point (final or provisional). The key is HTML beside the chart, not drawn in the SVG:
    its words wrap on a phone and are read as text, and drawing it cost half a chart's time."""

    label: str
    colour: str
    dashes: str = ""  # SVG stroke-dasharray of a dashed line; "" for a solid line or a point
    symbol: str = ""  # "circle" or "diamond" for a kind of point; "" for a line
    filled: bool = True


@dataclass(frozen=True)
class ChartData:
    """Everything one chart shows; the SVG, its summary and the table come from this."""

    key: str  # unique on the page, used for element ids
    title: str  # accessible name
    summary: str  # one sentence, also the SVG's description
    unit_label: str  # y axis title
    points: tuple[ChartPoint, ...]
    narrow: bool = False  # drawn for a phone's width (charts.narrow_width)
    words: ChartWords = ChartWords()
    # every result marked with a point; False for a dense series (charts.marker_spacing),
    # drawn as its line with points on its provisional results only. The same for an
    # indicator's wide and narrow charts, which share one key.
    marked: bool = True

    def narrow_variant(self) -> "ChartData":
        return replace(self, key=f"{self.key}-narrow", narrow=True)

    @property
    def key_entries(self) -> tuple[KeyEntry, ...]:
        """The chart's key: each line it draws, then the two kinds of point when some are
        provisional (only the provisional kind when final results are not marked)."""
        has_target, has_monitoring, has_provisional = chart_shape(self)
        words = self.words
        # a solid line's sample needs no pattern (Vega writes the result's as "1,0")
        lines = [KeyEntry(label, colour, dashes="" if dashes == RESULT_DASHES else _dasharray(dashes))
                 for label, colour, dashes in drawn_lines(has_target, has_monitoring, words)]
        if has_provisional:
            if self.marked:
                lines.append(KeyEntry(words.final, RESULT_COLOUR, symbol="circle"))
            lines.append(KeyEntry(words.provisional, RESULT_COLOUR, symbol="diamond", filled=False))
        return tuple(lines)


def results_marked(points: int, settings: ChartSettings) -> bool:
    """Whether a chart of this many results marks each with a point: when the full-width
    chart leaves ``marker_spacing`` pixels between them (always, with a spacing of 0)."""
    return points * settings.marker_spacing <= settings.width


def chart_shape(chart: ChartData) -> tuple[bool, bool, bool]:
    """Whether the chart has a target line, a monitoring level line, and provisional points."""
    return (
        any(p.target is not None for p in chart.points),
        any(p.monitoring_level is not None for p in chart.points),
        any(p.provisional for p in chart.points),
    )


def drawn_lines(has_target: bool, has_monitoring: bool, words: ChartWords) -> list[tuple[str, str, tuple[int, int]]]:
    """The lines a chart of this shape draws, in order: each one's words, colour and dash
    pattern. The spec and the key are both made from this, so they always agree."""
    return ([(words.result, RESULT_COLOUR, RESULT_DASHES)]
            + ([(words.target, TARGET_COLOUR, TARGET_DASHES)] if has_target else [])
            + ([(words.monitoring_level, MONITORING_COLOUR, MONITORING_DASHES)] if has_monitoring else []))


def _dasharray(dashes: tuple[int, int]) -> str:
    return ",".join(str(part) for part in dashes)


def spec_for(chart: ChartData, settings: ChartSettings, templates: Optional["KeptSpecTemplates"] = None) -> dict:
    """The chart's Vega-Lite spec (``templates``: where its shape's template is kept, if anywhere)."""
    shape = (*chart_shape(chart), settings.narrow_width if chart.narrow else settings.width, settings.height,
             chart.narrow, chart.words, chart.marked)
    spec = copy.deepcopy(templates.get(shape) if templates is not None else _spec_template(*shape))
    labels = [p.label for p in chart.points]
    spec["datasets"] = {"series": _long_rows(chart.points, chart.words)}
    step = max(1, math.ceil(len(labels) / (MAX_NARROW_LABELS if chart.narrow else MAX_LABELS)))
    shown = labels[::-1][::step][::-1]  # every step-th label, always including the latest
    for layer in spec["layer"]:
        x = layer["encoding"]["x"]
        x["axis"] = {**x.get("axis", {}), "values": shown}
    spec["layer"][0]["encoding"]["y"]["title"] = chart.unit_label
    return spec


def _long_rows(points: Sequence[ChartPoint], words: ChartWords) -> list[dict]:
    """The chart's dataset: a row per line per period, each with its period's position (``order``)."""
    rows = []
    for order, p in enumerate(points):
        rows.append({"period": p.label, "order": order, "series": words.result, "value": p.value,
                     "status": words.provisional if p.provisional else words.final})
        if p.target is not None:
            rows.append({"period": p.label, "order": order, "series": words.target, "value": p.target,
                         "status": ""})
        if p.monitoring_level is not None:
            rows.append({"period": p.label, "order": order, "series": words.monitoring_level,
                         "value": p.monitoring_level, "status": ""})
    return rows


@cache
def _spec_template(has_target: bool, has_monitoring: bool, has_provisional: bool, width: int, height: int,
                   narrow: bool, words: ChartWords, marked: bool) -> dict:
    """The spec of one chart shape, built with altair once per process (and language)."""
    import altair as alt

    lines_drawn = drawn_lines(has_target, has_monitoring, words)
    series = [label for label, _, _ in lines_drawn]
    colours = [colour for _, colour, _ in lines_drawn]
    dashes = [list(pattern) for _, _, pattern in lines_drawn]
    font_size = NARROW_FONT_SIZE if narrow else FONT_SIZE
    # A phone's chart has room for one period label: the latest, ending where the chart ends.
    # (Two ran into each other, "2009-10 Q2010-11 Q4", and Vega thins labels out only when
    # there are three or more.) The table below the chart lists every period.
    flush = {"labelAlign": "right"} if narrow else {}
    base = alt.Chart(alt.Data(name="series"))
    # Periods are placed by their position in the dataset, not by a list of their labels: Vega
    # compiles such a list into an expression as long as the series, run for every row (a sixth
    # of the drawing time of a 120-quarter chart). The SVG is the same.
    x = alt.X("period:O", title=None, sort=alt.EncodingSortField(field="order", op="min"),
              axis=alt.Axis(labelAngle=0, labelOverlap=True, **flush))
    # No legends: the key is the page's HTML (ChartData.key_entries), with the same colours and dashes.
    lines = base.mark_line(strokeWidth=2).encode(
        x=x,
        y=alt.Y("value:Q", title="", scale=alt.Scale(zero=False)),
        color=alt.Color("series:N", scale=alt.Scale(domain=series, range=colours), legend=None),
        strokeDash=alt.StrokeDash("series:N", scale=alt.Scale(domain=series, range=dashes), legend=None),
    )
    statuses = [words.final, words.provisional] if has_provisional else [words.final]
    points = base.mark_point(size=50, strokeWidth=2, filled=False, opacity=1, color=RESULT_COLOUR).encode(
        x=x,
        y="value:Q",
        fill=alt.Fill("status:N", scale=alt.Scale(domain=statuses, range=[RESULT_COLOUR, "white"][: len(statuses)]),
                      legend=None),
        shape=alt.Shape("status:N", scale=alt.Scale(domain=statuses, range=["circle", "diamond"][: len(statuses)]),
                        legend=None),
    ).transform_filter(f"datum.series === {json.dumps(words.result)} && isValid(datum.value)"
                       + ("" if marked else f" && datum.status === {json.dumps(words.provisional)}"))
    layers = [lines, points] if marked or has_provisional else [lines]  # a dense final series: its line
    chart = alt.layer(*layers).properties(width=width, height=height).configure(
        font=FONT, aria=False, background="white",
    ).configure_axis(labelFontSize=font_size, titleFontSize=font_size, labelColor="#0b0c0c", titleColor="#0b0c0c",
                     gridColor="#dddddd", domainColor="#505a5f", tickColor="#505a5f",
    ).configure_view(stroke=None)
    spec = chart.to_dict(validate=False)
    spec.pop("datasets", None)
    spec.pop("$schema", None)
    return spec


def spec_hash(spec: dict) -> str:
    """A chart's key in the cache: the chart engine's version, the font and the spec.

    The spec is pickled without pickle's memo (an object met twice is written twice), so that
    the bytes are its values alone, never which of its equal strings happen to be one object,
    which differs from one process to the next. That is five times quicker than its JSON (a
    120-quarter chart: 0.08 ms against 0.46 ms; the million's 12,700 charts, 5 s), and equal
    bytes unpickle to equal specs: two charts share a key only if they draw the same SVG."""
    import vl_convert

    buffer = io.BytesIO()
    buffer.write(f"{vl_convert.__version__}\n{font_fingerprint()}\n".encode())
    pickler = pickle.Pickler(buffer, PICKLE_PROTOCOL)
    pickler.fast = True  # no memo: the spec holds no object that refers back to itself
    pickler.dump(spec)
    return hashlib.sha256(buffer.getbuffer()).hexdigest()


@cache
def font_fingerprint() -> str:
    """The shipped font files' hash: a cached chart is reused only with the same font."""
    digest = hashlib.sha256()
    for path in sorted(FONT_FOLDER.glob("*.ttf")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


@cache
def _register_font() -> None:
    import vl_convert

    vl_convert.register_font_directory(str(FONT_FOLDER))


def render_svg(spec: dict) -> str:
    import vl_convert

    _register_font()  # once per process: spawned workers register their own
    return vl_convert.vega_to_svg(vega_spec(spec))


def render_pickled_svg(spec: bytes) -> str:
    """``render_svg`` of a pickled spec: one chart task of the build's workers."""
    return render_svg(pickle.loads(spec))


def vega_spec(spec: dict) -> dict:
    """The Vega spec that vl-convert compiles from a chart's Vega-Lite spec.

    Compiling is a fifth of a chart's drawing time, and most indicators of a site share a
    layout (the same shape, periods and unit: everything but the figures), so a layout is
    compiled once per process and the chart's figures are put into the compiled spec's
    named dataset. The SVG is the same as from compiling the whole spec (tested)."""
    datasets = spec.get("datasets", {})
    layout = {key: value for key, value in spec.items() if key != "datasets"}
    vega = json.loads(_compiled_layout(json.dumps(layout, sort_keys=True)))
    for data in vega.get("data", []):
        if data.get("name") in datasets:
            data["values"] = datasets[data["name"]]
    return vega


class KeptSpecTemplates:
    """Each chart shape's spec template (``_spec_template``), kept in the chart cache as JSON,
    which is data: a build that draws a few charts (a corrected figure) then neither imports
    altair nor builds a template with it, 0.6 s of such a build. A template's file is named by
    the shape's arguments, altair's version and perfsite's own files; read back, it is equal to
    the one altair makes, and pickles to the same bytes, so a chart's key is the same (tested)."""

    def __init__(self, folder: Optional[Path]) -> None:
        self.folder = folder
        self._made: dict[tuple, dict] = {}

    def get(self, shape: tuple) -> dict:
        template = self._made.get(shape)
        if template is None:
            template = self._made[shape] = self._kept(shape)
        return template

    def _kept(self, shape: tuple) -> dict:
        if self.folder is None:
            return _spec_template(*shape)
        key = fingerprint("spec template", shape, installed_version("altair"), perfsite_fingerprint())
        path = self.folder / f"{key}.json"
        try:
            template = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):  # not kept yet (or cut short): made, and kept
            template = _spec_template(*shape)
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(json.dumps(template), encoding="utf-8")
            temporary.replace(path)
        else:
            mark_used(path)
        return template


@lru_cache(maxsize=COMPILED_LAYOUTS_KEPT)
def _compiled_layout(layout: str) -> str:
    import vl_convert

    return json.dumps(vl_convert.vegalite_to_vega(json.loads(layout)))


def accessible_svg(svg: str, chart: ChartData) -> str:
    """Give the rendered SVG an accessible name and description, and let it scale."""
    title_id = f"chart-{chart.key}-title"
    desc_id = f"chart-{chart.key}-desc"
    # Vega leaves roles such as "graphics-symbol" on inner groups even with ARIA off;
    # inside an image they only confuse assistive technology (axe: svg-img-alt).
    svg = _INNER_ARIA.sub("", svg)
    svg = re.sub(r"^<svg ", f'<svg role="img" aria-labelledby="{title_id} {desc_id}" focusable="false" ', svg, count=1)
    head, rest = svg.split(">", 1)
    return (f'{head}><title id="{title_id}">{escape(chart.title)}</title>'
            f'<desc id="{desc_id}">{escape(chart.summary)}</desc>{rest}')


_INNER_ARIA = re.compile(r'\s(?:role|aria-[a-z]+)="[^"]*"')


class ChartRenderer:
    """Renders many charts, from the cache when it can, on the build's workers otherwise."""

    def __init__(self, settings: ChartSettings, cache_dir: Optional[Path] = None) -> None:
        self.settings = settings
        self.cache_dir = cache_dir
        self.rendered = 0
        self.from_cache = 0
        self.templates = KeptSpecTemplates(cache_dir / SPEC_TEMPLATES_FOLDER if cache_dir is not None else None)

    def render(self, charts: Sequence[ChartData], workers: Optional[InlineWorkers] = None) -> dict[str, str]:
        """Accessible SVG for each chart, by chart key."""
        return self.start(charts, workers).result()

    def start(self, charts: Sequence[ChartData], workers: Optional[InlineWorkers] = None) -> "PendingCharts":
        """``render``, begun: the charts not in the cache are handed to the workers, and
        ``result()`` collects them, so that pages can be written meanwhile."""
        specs = {chart.key: spec_for(chart, self.settings, self.templates) for chart in charts}
        hashes = {key: spec_hash(spec) for key, spec in specs.items()}
        svgs: dict[str, str] = {}
        todo = []
        for key, digest in hashes.items():
            cached = self._cached(digest)
            if cached is not None:
                svgs[key] = cached
                self.from_cache += 1
            else:
                todo.append(key)
        # pickled here, not by the pool: they may wait a while to be sent (BATCHES_AHEAD in render.py),
        # and pickled bytes take a seventh of the memory of the specs' dicts
        drawing = ((workers or InlineWorkers()).start_map(render_pickled_svg, [pickle.dumps(specs[key], PICKLE_PROTOCOL)
                                                                               for key in todo]) if todo else None)
        return PendingCharts(self, charts, svgs, todo, hashes, drawing)

    def _cached(self, digest: str) -> Optional[str]:
        if self.cache_dir is None:
            return None
        path = self.cache_dir / digest[:2] / f"{digest}.svg"
        if not path.is_file():
            return None
        mark_used(path)
        return path.read_text(encoding="utf-8")

    def _store(self, digest: str, svg: str) -> None:
        if self.cache_dir is None:
            return
        path = self.cache_dir / digest[:2] / f"{digest}.svg"
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(svg, encoding="utf-8")
        temporary.replace(path)


class PendingCharts:
    """Charts being drawn on the workers (perfsite/workers.py ``Pending``)."""

    def __init__(self, renderer: ChartRenderer, charts: Sequence[ChartData], svgs: dict[str, str], todo: list[str],
                 hashes: dict[str, str], drawing) -> None:
        self._renderer, self._charts, self._svgs = renderer, charts, svgs
        self._todo, self._hashes, self._drawing = todo, hashes, drawing

    def cached_paths(self) -> dict[str, Path]:
        """Where each chart's SVG is kept in the cache, by chart key (none without a cache)."""
        folder = self._renderer.cache_dir
        if folder is None:
            return {}
        return {key: folder / digest[:2] / f"{digest}.svg" for key, digest in self._hashes.items()}

    def ready(self) -> bool:
        """Whether the charts are drawn (``result()`` would not wait)."""
        return self._drawing is None or self._drawing.ready()

    def result(self) -> dict[str, str]:
        """Accessible SVG for each chart, by chart key (waits for the drawing)."""
        svgs = self._svgs
        if self._drawing is not None:
            for key, svg in zip(self._todo, self._drawing.result()):
                svgs[key] = svg
                self._renderer._store(self._hashes[key], svg)
            self._renderer.rendered += len(self._todo)
            self._drawing = None
        return {chart.key: accessible_svg(svgs[chart.key], chart) for chart in self._charts}
