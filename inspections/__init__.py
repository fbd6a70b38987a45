"""Inspections (kiểm tra CCHC): yearly inspection plans, visits, findings.

Built by its own issue (see shared/docs/roadmap.md); the app is here so the
layout is stable and the "inspect ≥30% of units" indicator has a home.
"""
