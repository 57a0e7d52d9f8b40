class FormatError(Exception):
    """A file refused before any business rule: `code` is stable, `message` is French."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
