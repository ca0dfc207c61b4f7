"""reader: a terminal reader for local news articles."""
