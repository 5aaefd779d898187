"""Commands (to be written); they attach to the app in monitoring.cli."""
