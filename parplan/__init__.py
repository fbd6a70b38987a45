"""The core domain: units, plans, reform areas, responsibilities, people, roles and access."""
