"""Command-line tools for editors and board admins: `procedures <command>`."""
