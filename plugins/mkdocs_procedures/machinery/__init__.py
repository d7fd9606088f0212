"""How a build runs under MkDocs: the helper process, kept files, old outputs, serve, timings."""
