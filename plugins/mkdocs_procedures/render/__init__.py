"""How the manual becomes HTML: page markup, board copies, search indexes, amendment views."""
