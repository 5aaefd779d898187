"""What every form of the work shares: settings, store, states, provenance, security, errors."""
