class ApplicationError(Exception):
    """A request that is well-formed but not allowed now: an illegal transition, a closed
    window. Pages show the message; the API answers 409."""

    def __init__(self, message, *, code="conflict"):
        super().__init__(message)
        self.message = message
        self.code = code
