"""One module per ``trainer`` command, each with ``run(settings, args) -> int``."""
