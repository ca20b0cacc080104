"""One module per command; each defines a Typer ``app`` holding its command."""

# The order in which commands are listed by ``policytext --help``.
ORDER = ["articles", "segment", "keywords", "idf", "cluster", "themes", "slogans", "numbers",
         "report", "plot", "cache"]
