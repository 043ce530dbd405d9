from accounts.otp import is_verified, second_factor_required
from deputies.access import ANONYMOUS, page_permissions, scope_for


def site(request):
    user = getattr(request, "user", None)
    # Between the password and the code a staff account sees no menu of its role.
    pending = user is not None and second_factor_required(user) and not is_verified(user)
    scope = ANONYMOUS if pending else scope_for(user)
    return {
        "accessible_mode": request.COOKIES.get("a11y") == "1",
        "scope": scope,
        "second_factor_pending": pending,
        # Templates ask `may.<what>` and never look at the role: deputies.access decides.
        "may": page_permissions(scope),
    }
