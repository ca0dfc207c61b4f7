"""The main screen's controllers: each owns some of its state and the workers
that feed it (``startup``: loading the list and indexing; ``search``: as-you-type
results, their count and the hits in the open article; ``bookmarks``: the
dialogs and every store operation; ``entities``: which articles mention whom).

The screen composes the widgets and routes messages; a controller does the
work and sets attributes on the widgets. Workers run in threads and only
post messages, which the screen hands back to the controller that asked.
"""
