"""Guided stories: JSON files of steps (year, view, layers, highlighted features, a short sourced
text in en/ru/zh), checked against their published schema (``geodata/stories/story.schema.json``)
and against the map they are built into.

>>> from nerchinsk_map.web.stories import load_story, shipped_story_path
>>> story = load_story(shipped_story_path())
>>> story["id"], len(story["steps"]) >= 10
('amur', True)
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from ..data.catalog import geodata_dir
from ..errors import NerchinskMapError
from ..files.cache import checked, content_key, library_versions
from ..files.inputs import schema_problem

SHIPPED = "amur"


class StoryError(NerchinskMapError):
    """A story file that cannot be read, does not match the schema, or names what the map lacks."""


def stories_dir() -> Path:
    """Folder of the shipped story and its schema."""
    return geodata_dir() / "stories"


def shipped_story_path() -> Path:
    """The story the map carries by default."""
    return stories_dir() / f"{SHIPPED}.json"


@cache
def schema() -> dict[str, Any]:
    """The story file's JSON Schema (``geodata/stories/story.schema.json``)."""
    return json.loads((stories_dir() / "story.schema.json").read_text(encoding="utf-8"))


def validate_story(story: Any, origin: str = "story") -> dict[str, Any]:
    """Check ``story`` against the schema; raise :class:`StoryError` naming the step and field.

    Examples
    --------
    >>> validate_story({"id": "x", "title": {"en": "a", "ru": "b", "zh": "c"}, "steps": []})
    Traceback (most recent call last):
    ...
    nerchinsk_map.web.stories.StoryError: story: field steps: [] should be non-empty
    """
    # the same content passed the same schema before (with this jsonschema): not checked again
    key = content_key(schema(), list(library_versions("jsonschema")), story)
    checked("story-schema", key, lambda: _check_schema(story, origin))
    ids = [s["id"] for s in story["steps"]]
    for i, sid in enumerate(ids):
        if ids.index(sid) != i:
            raise StoryError(f"{origin}: step {i + 1} ({sid}), field id: repeats step {ids.index(sid) + 1}")
    for i, step in enumerate(story["steps"]):
        (s, w), (n, e) = step["view"]
        if not (-85 <= s < n <= 85 and -180 <= w < e <= 180):
            raise StoryError(f"{origin}: step {i + 1} ({step['id']}), field view: expected [[south, west], [north, east]] "
                             "with south < north within ±85 and west < east within ±180")
    return story


def _check_schema(story: Any, origin: str) -> None:
    """Raise :class:`StoryError` naming the step and field of the first schema problem."""
    problem = schema_problem(story, schema(), "steps", "step")
    if problem:
        raise StoryError(f"{origin}: {problem}")


def load_story(path: str | Path) -> dict[str, Any]:
    """Read and validate one story file (JSON)."""
    path = Path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StoryError(f"{path}: story file not found") from None
    except IsADirectoryError:
        raise StoryError(f"{path}: is a folder, not a story file") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise StoryError(f"{path}: not valid JSON ({exc})") from None
    return validate_story(raw, str(path))


def check_against_map(
    story: Mapping[str, Any],
    features: Mapping[str, Mapping[str, tuple[int | None, int | None]]],
    time_range: tuple[int, int] | None,
    origin: str = "story",
) -> None:
    """Raise :class:`StoryError` if a step names a layer the map does not draw, a feature its
    layer lacks or does not show in the step's year, or a year outside the time control's range.
    ``features``: layer id -> feature id -> (first, last) year shown (None: open).

    Examples
    --------
    >>> story = {"steps": [{"id": "a", "year": 1700, "highlight": [{"layer": "forts", "feature": "x"}]}]}
    >>> check_against_map(story, {"forts": {"x": (1650, 1690)}}, None)
    Traceback (most recent call last):
    ...
    nerchinsk_map.web.stories.StoryError: story: step 1 (a), field highlight.0.feature: 'x' is not on the map in 1700 (shown 1650–1690)
    """
    for i, step in enumerate(story["steps"]):
        where = f"{origin}: step {i + 1} ({step['id']})"
        if time_range and not time_range[0] <= step["year"] <= time_range[1]:
            raise StoryError(f"{where}, field year: {step['year']} is outside the map's time range "
                             f"({time_range[0]}–{time_range[1]})")
        for layer in step.get("layers", []):
            if layer not in features:
                raise StoryError(f"{where}, field layers: the map has no layer {layer!r}")
        for j, mark in enumerate(step.get("highlight", [])):
            if mark["layer"] not in features:
                raise StoryError(f"{where}, field highlight.{j}.layer: the map has no layer {mark['layer']!r}")
            if mark["feature"] not in features[mark["layer"]]:
                raise StoryError(f"{where}, field highlight.{j}.feature: layer {mark['layer']!r} has no feature "
                                 f"{mark['feature']!r}")
            first, last = features[mark["layer"]][mark["feature"]]
            if (first is not None and step["year"] < first) or (last is not None and step["year"] > last):
                span = f"{'' if first is None else first}–{'' if last is None else last}"
                raise StoryError(f"{where}, field highlight.{j}.feature: {mark['feature']!r} is not on the map in "
                                 f"{step['year']} (shown {span})")
