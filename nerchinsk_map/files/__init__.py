"""Files in and out: where the shipped data lives, the one gate every input passes, GeoJSON writing, atomic outputs.

The foundation of the package: every wing may use it, and it uses none of them.
"""
