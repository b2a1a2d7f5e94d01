"""The build engine: plan -> run -> record.

- plan (plan.py): every file of the build as a Job (jobs.py), with the digest of what it is made
  from and the files it needs; the pack's own files are jobs like the documents: each format's
  whole-pack file and first-page pictures (made by the format's own package, as its descriptor
  says), the zip (archive.py) and the download page (download_page.py).
- run (run.py): the jobs whose digest is not recorded, each once its needs are made, on a pool of
  worker processes or in this process.
- record (record.py): what the output folder holds, and the manifest (manifest.py), written last.

build.py ties them together; files.py writes every file atomically.
"""

# The most memory (MB) a build's processes may hold at once, unless --memory says otherwise (plan.py
# turns it into how many workers write side by side).
MEMORY_MB = 200
