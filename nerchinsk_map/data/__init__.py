"""The data layer: the catalog and its schema, loading layers (shipped and the user's own),
translations and validation. It reads ``geodata/``; the map, the exports and the figures read it."""
