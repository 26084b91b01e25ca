"""add_column, its migration edited after it was applied (another column)."""
