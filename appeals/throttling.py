"""One filing budget per citizen (`API_THROTTLE_FILING`, 30 a minute by default), spent
alike through the page and the API, so neither is a way around the other."""

from core.api.throttling import UserRateThrottle


class FilingThrottle(UserRateThrottle):
    """Keyed by the citizen, like the per-user rate, with the filing budget."""

    scope = "filing"


def filing_allowed(request) -> tuple[bool, int]:
    """For the page: whether this filing may go ahead, and else how many seconds to wait."""
    throttle = FilingThrottle()
    if throttle.allow_request(request, None):
        return True, 0
    return False, max(1, round(throttle.wait() or 1))


class TopicSuggestionThrottle(UserRateThrottle):
    """Suggestions while the citizen types, per citizen (`TOPIC_SUGGESTION_THROTTLE`)."""

    scope = "topic_suggestion"


def topic_suggestion_allowed(request) -> bool:
    return TopicSuggestionThrottle().allow_request(request, None)
