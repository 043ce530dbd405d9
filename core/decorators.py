from django.views.decorators.cache import never_cache


def personal_page(view):
    """A page that shows personal data: `Cache-Control: no-store` (with Django's
    never_cache: private, max-age=0), so neither a shared computer's browser cache nor
    a proxy keeps a copy after the person signs out."""
    return never_cache(view)
