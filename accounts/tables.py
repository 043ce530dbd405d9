import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import ApiToken

REVOKE = """{% load i18n %}<form method="post" action="{% url 'accounts:revoke_token' record.pk %}">{% csrf_token %}<button type="submit" class="btn btn-sm btn-outline-danger">{% translate "Revoke" %}<span class="visually-hidden"> {{ record.name }}</span></button></form>"""  # noqa: E501


class ApiTokenTable(tables.Table):
    name = tables.Column(verbose_name=_("Token name"))
    created = tables.DateTimeColumn(verbose_name=_("Created"), format="DATETIME_FORMAT")
    expires = tables.DateTimeColumn(verbose_name=_("Expires"), format="DATETIME_FORMAT")
    last_used = tables.DateTimeColumn(
        verbose_name=_("Last used"), format="DATETIME_FORMAT", default=_("never")
    )
    revoke = tables.TemplateColumn(REVOKE, verbose_name=_("Actions"), orderable=False)

    caption = _("Your API tokens")

    class Meta:
        model = ApiToken
        template_name = "components/table.html"
        fields = ["name", "created", "expires", "last_used", "revoke"]
        orderable = False
        attrs = {"class": "table align-middle", "aria-labelledby": "api-title"}
        empty_text = _("You have no tokens.")
