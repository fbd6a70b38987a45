"""Plans in and out of the portal: the JSON interchange format and the indicator definitions file."""
