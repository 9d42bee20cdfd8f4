"""The `andon` command line."""
