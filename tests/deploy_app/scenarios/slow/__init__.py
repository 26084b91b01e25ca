"""An atomic migration that alters deploy_items, then takes a second: time to kill it."""
