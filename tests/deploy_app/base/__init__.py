"""The table every deployment scenario builds on."""
