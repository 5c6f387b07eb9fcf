"""The build server: a warm briefgen process that forks a child for each command line it is
handed, so a command started from a shell skips the imports and first-use work (`briefgen
server start`). `address` and `client` use only the standard library: the `briefgen` script
imports them before anything else, and falls back to running the command itself when no
server of the same briefgen and interpreter is listening."""
