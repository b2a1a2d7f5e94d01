"""Personalised pledge forms from a CSV (`packgen forms`) and the register of returned ones (`packgen register`).

`spec` reads which fields the pledge form has (from the sources, through the same templates the
build uses); `csvinput` reads organisations' CSVs; `names` turns organisation names into safe file
names; `make` runs `packgen forms` (each format's writer fills its own blank form); `readers` and
`register` read returned forms, each inside a bounded child process (packgen.sandbox), into one CSV.
"""

# What `packgen register` lets one returned form take to read, unless --memory and --timeout say otherwise.
REGISTER_MEMORY_MB = 768
REGISTER_SECONDS = 30.0
