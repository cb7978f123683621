"""Holdings: collections, documents and blobs, FtM statements, ingest and search."""
