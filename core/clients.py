"""Who is asking: the client's address and the sign-in name, each worked out one way
for every limit (the sign-in lockout, the API throttles, the mail limits)."""

from django.conf import settings
from ipware import get_client_ip


def client_ip(request) -> str:
    """The client's address: the peer's, or behind NUM_PROXIES proxies of our own the
    address the outermost one saw. Entries further left in X-Forwarded-For came from the
    client and are ignored, so a forged header buys no new budget."""
    proxies = settings.NUM_PROXIES
    if proxies:
        # Each proxy appends the address it was reached from, so the client sits
        # NUM_PROXIES from the right; ipware counts the hops after the client.
        ip, _routable = get_client_ip(
            request,
            proxy_count=proxies - 1,
            request_header_order=("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
            strict=False,
        )
    else:
        ip, _routable = get_client_ip(request, request_header_order=("REMOTE_ADDR",))
    return ip or request.META.get("REMOTE_ADDR") or ""


def sign_in_name(request, credentials) -> str | None:
    """The e-mail a sign-in is for, as the lockout counts it: sign-in matches it in any
    letter case, so the lockout must too, or each spelling would get five more tries."""
    name = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD)
    if name is None and request is not None:
        name = getattr(request, "data", request.POST).get(settings.AXES_USERNAME_FORM_FIELD)
    if not isinstance(name, str):
        return name
    return name.strip().lower()
