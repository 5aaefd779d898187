"""Tables of UN bodies, resolutions, roll calls and votes."""
