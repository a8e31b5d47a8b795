"""The generic core: typed resources planned and applied, whatever system holds them.

Nothing here knows Cutover or any other system; providers (`runform.providers`) describe their
resource types with a `Schema` and supply the hooks that read and write them.
"""
