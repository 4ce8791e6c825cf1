"""The archive (归档) per DA/T 22: items with archival numbers, the catalogue; immutable."""
