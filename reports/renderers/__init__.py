"""Renderers turn a `ReportData` into a file; they never query the database."""
