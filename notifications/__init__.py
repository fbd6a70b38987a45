"""Notices to people: in the portal, and one daily e-mail digest per person."""
