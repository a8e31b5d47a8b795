"""Providers: one package per system runform manages, each over the generic core."""
