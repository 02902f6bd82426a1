"""Stable element ids: branca names every element with 16 random bytes, so two builds of the
same map would differ in every variable name. Before rendering, number the elements in tree
order instead; the same map then gives the same bytes."""

from __future__ import annotations

from collections.abc import Iterator

from branca.element import Element


def _walk(element: Element) -> Iterator[Element]:
    yield element
    for child in list(element._children.values()):
        yield from _walk(child)


def renumber(root: Element) -> None:
    """Give every element under ``root`` an id from its position in the tree."""
    for i, element in enumerate(_walk(root)):
        element._id = f"{i:04d}"
