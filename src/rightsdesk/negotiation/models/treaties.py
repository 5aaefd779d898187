"""Tables of treaties, ratifications and reservations."""
