"""One module per `dataset` subcommand; each is a thin click wrapper over the library."""
