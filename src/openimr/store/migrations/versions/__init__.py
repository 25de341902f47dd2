"""Migration scripts, oldest first (see the `revision` / `down_revision` of each)."""
