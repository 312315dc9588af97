"""Sources: reading fact sheets and the seed catalog, the claim model, and checking quotes."""
