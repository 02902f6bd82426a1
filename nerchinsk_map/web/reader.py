"""The reader's panel: the treaties' texts linked to the line, a guided story, and two readings
side by side. Its data (prepared here at build time) travels in the page as one JSON block
that the browser does not parse until the panel is first opened (or a link asks for it)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .blocks import data_block
from .comparisons import comparisons
from .render import SafeMacro
from .stories import StoryError, check_against_map, load_story, shipped_story_path
from .templating import template
from .texts import data_strings, texts_data
from .years import page_data as years_page_data
from .years import year_comparisons

DATA_ID = "nm-reader-data"


class ReaderPanel(SafeMacro):
    """The panel's control and its data block, deflated (:mod:`.blocks`: the opening view shows
    none of it; inflated and parsed when the panel is first opened or a link asks for it)."""

    _template = template(
        """
        {% macro html(this, kwargs) %}
            {{ this.block() }}
        {% endmacro %}
        {% macro script(this, kwargs) %}
            NerchinskMap.reader({{ this._parent.get_name() }}, {{ this.data_id|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, data: dict[str, Any]):
        super().__init__()
        self._name = "ReaderPanel"
        self.data = data
        self.data_id = DATA_ID

    def block(self) -> Markup:
        """The panel's data block."""
        return data_block(self.data_id, self.data, deflated=True)


def _year(date: Any) -> int | None:
    """The year of an ISO date as the page's time control reads it (core.js yearOf)."""
    m = re.match(r"^(-?\d{1,4})", str(date)) if date not in (None, "") else None
    return int(m.group(1)) if m else None


def layer_index(overlays: Sequence[Any]) -> dict[str, dict[str, Any]]:
    """catalog id -> {"geometry", "ids", "years"} of the map's overlays (``CatalogLayer``):
    ``years`` maps a feature id to the first and last year the time control shows it (None: open),
    as layers.js decides (an event without an end shows for the catalog's ``show_years``)."""
    index = {}
    for o in overlays:
        show = o.spec.extra.get("show_years")
        years = {}
        for f in o.data["features"]:
            p = f["properties"]
            start, end = _year(p.get("start_date")), _year(p.get("end_date"))
            if end is None and start is not None and show:
                end = start + int(show)
            years[p.get("id")] = (start, end)
        index[o.spec.id] = {"geometry": o.spec.geometry, "ids": list(years), "years": years}
    return index


def stories_for(
    layers: Mapping[str, Mapping[str, Any]], time_range: tuple[int, int] | None, extra: Sequence[str | Path] = ()
) -> list[dict[str, Any]]:
    """The shipped story (when the map draws every layer and feature it names) and the users'
    story files, each checked against the map (:class:`~.stories.StoryError` names step and field)."""
    features = {k: v["years"] for k, v in layers.items()}
    found = []
    shipped = load_story(shipped_story_path())
    named = {x for step in shipped["steps"] for x in [*step.get("layers", []), *(h["layer"] for h in step.get("highlight", []))]}
    if named <= set(features):  # a map of other layers (build --layers): the shipped story has nothing to show
        check_against_map(shipped, features, time_range, str(shipped_story_path()))
        found.append(shipped)
    for path in extra:
        story = load_story(path)
        check_against_map(story, features, time_range, str(path))
        if any(s["id"] == story["id"] for s in found):
            raise StoryError(f"{path}: field id: another story of this map is called {story['id']!r}")
        found.append(story)
    return found


def reader_data(
    overlays: Sequence[Any],
    tables: Mapping[str, Mapping[str, str]],
    time_range: tuple[int, int] | None,
    stories: Sequence[str | Path] = (),
) -> dict[str, Any]:
    """Everything the panel shows: readings with their clauses, stories, comparisons of readings
    and of the borders in force in two years, and the translations of the readings' English texts."""
    from ..data.translations import used_tables  # lazy: only when the reader panel is built

    layers = layer_index(overlays)
    readings = texts_data(layers)
    return {
        "readings": readings,
        "stories": stories_for(layers, time_range, stories),
        "compare": comparisons({r["id"] for r in readings}),
        "years": years_page_data(year_comparisons([o.spec for o in overlays])),
        "texts": used_tables(tables, data_strings(readings)),
    }
