"""INSEE's SIRENE register: reading the official stock files and importing them."""
