"""The map's controls: the title box, the grouped layer control and the legend.

Each is a small folium ``MacroElement`` whose script calls the page's own library."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from folium.raster_layers import TileLayer
from markupsafe import Markup

from .blocks import data_block
from .layers import CatalogLayer
from .render import SafeMacro
from .templating import template


@dataclass(frozen=True)
class Base:
    """A base map choice: a tile layer, or ``None`` for the offline vector basemap alone."""

    id: str
    title: str
    layer: TileLayer | None


class TitleBox(SafeMacro):
    """The map's title and subtitle, top left."""

    _template = template(
        """
        {% macro script(this, kwargs) %}
            NerchinskMap.titleBox({{ this._parent.get_name() }}, {{ this.title|tojson }}, {{ this.subtitle|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, title: str, subtitle: str = ""):
        super().__init__()
        self._name = "TitleBox"
        self.title = title
        self.subtitle = subtitle


class GroupedLayerControl(SafeMacro):
    """Base maps as radio buttons and the overlays grouped by their catalog group."""

    _template = template(
        """
        {% macro script(this, kwargs) %}
            NerchinskMap.layerControl({{ this._parent.get_name() }}, {
                bases: [
                {%- for base in this.bases %}
                    {id: {{ base.id|tojson }}, title: {{ base.title|tojson }},
                     layer: {{ base.layer.get_name() if base.layer else "null" }}},
                {%- endfor %}
                ],
                groups: [
                {%- for title, layers in this.groups %}
                    {title: {{ title|tojson }}, layers: [
                    {%- for layer in layers %}
                        {id: {{ layer.spec.id|tojson }}, title: {{ layer.spec.title|tojson }}, layer: {{ layer.get_name() }}},
                    {%- endfor %}
                    ]},
                {%- endfor %}
                ]
            });
        {% endmacro %}
        """
    )

    def __init__(self, bases: Sequence[Base], layers: Sequence[CatalogLayer]):
        super().__init__()
        self._name = "GroupedLayerControl"
        self.bases = list(bases)
        groups: dict[str, list[CatalogLayer]] = {}
        for layer in layers:
            groups.setdefault(layer.spec.group, []).append(layer)
        self.groups = list(groups.items())


class Legend(SafeMacro):
    """The symbol of each overlay drawn now, bottom left, the topmost first (an entry comes and
    goes with its layer's switch and with the year). A catalog entry's ``legend`` ({property,
    values: {value: label}} or {property, label_from: "name"}) adds a row per style variant
    drawn (the 1689 line's kinds of segment, each basin's colour)."""

    _template = template(
        """
        {% macro script(this, kwargs) %}
            NerchinskMap.legend({{ this._parent.get_name() }}, [
            {%- for layer in this.layers %}
                {id: {{ layer.spec.id|tojson }}, title: {{ layer.spec.title|tojson }}, layer: {{ layer.get_name() }},
                 variants: {{ this.variants(layer)|tojson }}},
            {%- endfor %}
            ]);
        {% endmacro %}
        """
    )

    def __init__(self, layers: Sequence[CatalogLayer]):
        super().__init__()
        self._name = "Legend"
        self.layers = list(layers)

    @staticmethod
    def variants(layer: CatalogLayer) -> dict | None:
        """The layer's legend entry, its labels as [value, label] pairs in the catalog's order
        (the page's JSON has sorted keys)."""
        entry = layer.spec.extra.get("legend")
        if not entry:
            return None
        return {**entry, "values": [[k, v] for k, v in entry.get("values", {}).items()] or None}


class TimeControl(SafeMacro):
    """A year slider with play/pause: each dated feature shows only in the years it existed."""

    _template = template(
        """
        {% macro script(this, kwargs) %}
            NerchinskMap.timeControl({{ this._parent.get_name() }}, [
            {%- for layer in this.layers %}{{ layer.get_name() }}, {% endfor -%}
            ], {{ this.options|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, layers: Sequence[CatalogLayer], options: dict):
        super().__init__()
        self._name = "TimeControl"
        self.layers = list(layers)
        self.options = options


class Languages(SafeMacro):
    """The page's words in every language (``static/messages.json``) and the opening language;
    added before the layers so that their labels start in that language. The opening language's
    words are in the page script; the other languages' words (``tables``) and the data's texts
    in each language (``texts``) are deflated blocks (:mod:`.blocks`), inflated and parsed when
    that language is first shown."""

    _template = template(
        """
        {% macro html(this, kwargs) %}
            {%- for lang in this.tables|sort %}
            {{ this.block(lang, "messages") }}
            {%- endfor %}
            {%- for lang in this.texts|sort %}
            {{ this.block(lang) }}
            {%- endfor %}
        {% endmacro %}
        {% macro script(this, kwargs) %}
            NerchinskMap.setupLanguages({{ this._parent.get_name() }}, {{ this.messages|tojs }}, {{ this.lang|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, messages: dict, lang: str):
        super().__init__()
        self._name = "Languages"
        others = set(messages.get("languages", {})) - {lang}
        self.messages = {k: v for k, v in messages.items() if k != "about" and k not in others}
        self.tables = {k: v for k, v in messages.items() if k in others}  # the other languages' words
        self.lang = lang
        self.texts: dict[str, dict[str, str]] = {}  # the popup texts' translations (set by the builder)

    def block(self, lang: str, kind: str = "texts") -> Markup:
        """The deflated block of ``lang``'s data texts (``kind="texts"``) or page words
        (``"messages"``): the opening view shows none of them."""
        table = self.texts[lang] if kind == "texts" else self.tables[lang]
        return data_block(f"nm-{kind}-{lang}", table, deflated=True)


class MapControls(SafeMacro):
    """Zoom buttons and the scale bar, in the reader's language (instead of folium's)."""

    _template = template(
        """
        {% macro script(this, kwargs) %}
            NerchinskMap.mapControls({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "MapControls"


class Credits(SafeMacro):
    """The catalog's data credit in the attribution line, translated like the page's words."""

    _template = template(
        """
        {% macro script(this, kwargs) %}
            NerchinskMap.credits({{ this._parent.get_name() }}, {{ this.text|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, text: str):
        super().__init__()
        self._name = "Credits"
        self.text = html.escape(text)
