"""The steering committee's dashboard: the plan at a glance, cached, dropped on every plan change."""
