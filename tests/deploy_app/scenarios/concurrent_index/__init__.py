"""An index built CONCURRENTLY (not atomic), which waits for every open transaction."""
