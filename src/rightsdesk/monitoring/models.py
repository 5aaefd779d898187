"""Tables of the monitoring form."""
