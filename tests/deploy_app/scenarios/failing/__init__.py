"""Three migrations: the first applies, the second fails, the third never runs."""
