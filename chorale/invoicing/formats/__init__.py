"""Invoice syntaxes: hardened XML parsing, recognition of the syntax and profile, containers."""
