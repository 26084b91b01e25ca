"""A nullable column on deploy_items: an ALTER TABLE that needs its lock for a moment."""
