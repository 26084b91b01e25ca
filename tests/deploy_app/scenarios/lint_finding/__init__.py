"""A migration that migrate_lint blocks: renaming a column the running code reads."""
