"""The generated page: self-contained (no CDN), reproducible, and sized for the web."""

import re

import nerchinsk_map as nm


def test_page_loads_nothing_from_the_network(built_map):
    html = built_map.read_text(encoding="utf-8")
    assert not re.search(r'<(script|link)[^>]+(src|href)="https?:', html)
    assert "cdn.jsdelivr" not in html and "code.jquery.com" not in html
    assert 'html lang="en"' in html


def test_every_layer_is_in_the_page(built_map):
    html = built_map.read_text(encoding="utf-8")
    for layer_id in nm.list_layers():
        assert f'"id": "{layer_id}"' in html


def test_two_builds_are_byte_identical():
    assert nm.render_html(nm.build_map()) == nm.render_html(nm.build_map())


def test_page_is_small_enough_to_mail(built_map):
    assert built_map.stat().st_size < 2_000_000
