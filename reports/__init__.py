"""Reports (báo cáo CCHC): the periodic and year-end report as PDF and Excel.

Built by its own issue: one selector gathers the data, renderers in
`reports/renderers/` turn it into files.
"""
