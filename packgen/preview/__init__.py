"""`packgen preview`: one pack, rebuilt on every save and shown live in the browser.

The session (session.py) rebuilds through packgen.pack.build's `build` into a folder of its own,
the watcher (watcher.py) tells it when a file the pack is made from changes, page images
(page_images.py) show each PDF's pages, the page (page.py) lays both variants side by side, and the
server (server.py) serves that folder on the loopback address only and tells open pages each time
it changes, and the page (preview.html.j2) swaps in what changed.
"""
