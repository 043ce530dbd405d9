from deputies.access import page_permissions, scope_for


def site(request):
    scope = scope_for(getattr(request, "user", None))
    return {
        "accessible_mode": request.COOKIES.get("a11y") == "1",
        "scope": scope,
        # Templates ask `may.<what>` and never look at the role: deputies.access decides.
        "may": page_permissions(scope),
    }
