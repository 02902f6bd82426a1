"""Files in and out: where the shipped data lives, GeoJSON writing, atomic outputs.

The foundation of the package: every wing may use it, and it uses none of them.
"""
