"""Commands (to be written); they attach to the apps in negotiation.cli."""
