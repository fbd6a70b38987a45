"""A plan read from the document its authority issued (.docx or plain text).

The layers, each its own module: `blocks` turns the file into paragraphs and
tables (refusing what is not a readable document), `structure` finds the parts
of a plan in them, `annex` reads the key-task table, `unit_names` and
`deadlines` read names and dates as documents write them, and `drafting`
turns what was read into the plan interchange format (docs/plan-format.md),
with the warnings the secretariat reviews before anything is saved.
"""
