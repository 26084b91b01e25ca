"""A migration dropping the column deploy_items.label, which a client still reads."""
