"""`python -m runform` runs the command line."""

from runform.cli.main import main

main()
