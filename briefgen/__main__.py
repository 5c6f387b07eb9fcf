"""`python -m briefgen`: the same command line as the `briefgen` script."""

from briefgen.launcher import main

main(prog_name="briefgen")
