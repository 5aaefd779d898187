"""`python -m rightsdesk` runs the command line."""

from rightsdesk.cli import main

main()
