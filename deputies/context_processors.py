from deputies.access import scope_for


def site(request):
    return {
        "accessible_mode": request.COOKIES.get("a11y") == "1",
        "scope": scope_for(getattr(request, "user", None)),
    }
