class ApplicationError(Exception):
    """A request that is well-formed but not allowed now: an illegal transition, a closed
    window. Pages show the message; the API answers 409."""

    def __init__(self, message, *, code="conflict"):
        super().__init__(message)
        self.message = message
        self.code = code


class LimitReached(ApplicationError):
    """A limit on how often something may be done, reached: the API answers 429 with
    Retry-After (`wait`, seconds); pages show the message and keep what was typed."""

    def __init__(self, message, *, wait: int, code="limit_reached"):
        super().__init__(message, code=code)
        self.wait = wait
