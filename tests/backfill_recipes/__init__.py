"""A test-only app whose migrations are the recipes of docs/backfills.md, run on real rows."""
