class BusinessError(Exception):
    """A use case refused: `message` says why in French, `code` is stable for APIs and tests."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code
