"""The pages' FilterSets. The citizen's list shares its status filter with the API
(appeals.api.filters builds on AppealStatusFilter). The deputy's queue is not the API's
AppealFilter: its status has "open" and "all", topics and municipalities are chosen from
lists (by id, where the API takes a slug), and an unticked box means "any", not "not
overdue"."""

from datetime import timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property, lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from deputies.models import Municipality
from deputies.selectors import place_and_parts

from . import search
from .forms import ModelChoiceField, QuickSelect
from .models import Appeal, Topic
from .selectors import DUE_SOON_DAYS


class AppealStatusFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Appeal.Status.choices, empty_label=_("Any status")
    )

    class Meta:
        model = Appeal
        fields = ["status"]


class MyAppealsForm(forms.Form):
    field_order = ["search", "status"]


class MyAppealsFilter(AppealStatusFilter):
    """The citizen's list: by number or by words of the subject and text, and status."""

    search = django_filters.CharFilter(
        label=_("Number or words"), method="filter_search", max_length=200
    )

    class Meta:
        model = Appeal
        fields = ["search", "status"]
        form = MyAppealsForm

    def filter_search(self, queryset, name, value):
        # Ranked best first; the table's own sort links still reorder the results.
        self.search_query = search.parse(value)
        return search.search(queryset, self.search_query, scope=self.scope)

    def __init__(self, data=None, *, scope, **kwargs):
        super().__init__(data, **kwargs)
        self.scope = scope
        self.search_query = None  # parsed by filter_search, for the rows' fragments


# The dashboard's orders, each backed by an index on the deputy's appeals; the page's
# rows are the first entries of that index, never a sort of the whole queue.
QUEUE_ORDERINGS = {
    "deadline": ("deadline", "pk"),
    "-deadline": ("-deadline", "-pk"),
    "registered": ("registered_at", "pk"),
    "-registered": ("-registered_at", "-pk"),
}
SEARCH_MAX = 100


class NamedChoiceField(ModelChoiceField):
    """Reference rows (topics, municipalities) named in the reader's language, the
    options drawn in one pass (a region's municipalities run to hundreds)."""

    widget = QuickSelect

    def label_from_instance(self, obj):
        name = getattr(obj, "display_name", None) or str(obj)
        # A subtopic under its topic (the list is in the tree's order).
        return f"— {name}" if getattr(obj, "parent_id", None) else name


class NamedChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = NamedChoiceField


def _due_soon_label():
    # Worded when the form is drawn, in its reader's language (a lazy ngettext with "%"
    # would be worded once, when this module is imported).
    return ngettext("Due within %(days)s day", "Due within %(days)s days", DUE_SOON_DAYS) % {
        "days": DUE_SOON_DAYS
    }


def topic_with_subtopics(**topic):
    """A topic chosen as a filter means its subtopics too: `topic_id IN (subquery)`,
    no round trip of its own, and the appeals' indexes on the topic stay usable.
    `topic`: pk= or slug=."""
    ((field, value),) = topic.items()
    return Topic.objects.filter(Q(**{field: value}) | Q(**{f"parent__{field}": value})).values("pk")


def _topics(request):
    return Topic.objects.order_by("position")


def _municipalities(request):
    return Municipality.objects.none()  # the deputy's region's, set per page


class DeputyQueueFilter(django_filters.FilterSet):
    """Each request copies the filters and builds a form from them, on the busiest
    page there is: the lists' querysets are functions (a queryset's deep copy is most of
    a filter's), and the form class is built once per process."""

    q = django_filters.CharFilter(
        label=_("Number or words"),
        max_length=SEARCH_MAX,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("open", _("Open")), ("all", _("All")), *Appeal.Status.choices],
        empty_label=None,
        widget=QuickSelect,
    )
    topic = NamedChoiceFilter(label=_("Topic"), queryset=_topics, empty_label=_("All topics"))
    municipality = NamedChoiceFilter(
        label=_("Municipality"), queryset=_municipalities, empty_label=_("All municipalities")
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue only"), widget=forms.CheckboxInput)
    due_soon = django_filters.BooleanFilter(
        label=lazy(_due_soon_label, str)(),
        widget=forms.CheckboxInput,
    )
    ordering = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[
            ("relevance", _("Best match first")),
            ("deadline", _("Deadline, nearest first")),
            ("-deadline", _("Deadline, latest first")),
            ("-registered", _("Newest first")),
            ("registered", _("Oldest first")),
        ],
        empty_label=None,
        widget=QuickSelect,
    )

    def __init__(self, data=None, *, queryset, region_id: int, scope, today=None, **kwargs):
        if data is not None and (data.get("q") or "").strip() and not data.get("ordering"):
            # A search shows the best matches first unless an order is chosen.
            data = data.copy()
            data["ordering"] = "relevance"
        super().__init__(data, queryset=queryset, **kwargs)
        self.today = today or timezone.localdate()
        self.region_id = region_id
        self.scope = scope

    _form_class = None

    def get_form_class(self):
        cls = type(self)
        if cls.__dict__.get("_form_class") is None:
            cls._form_class = super().get_form_class()
        return cls._form_class

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            form.fields["municipality"].queryset = Municipality.objects.filter(
                region_id=self.region_id
            ).order_by("-is_admin_centre", "name")
        return self._form

    @property
    def searching(self) -> bool:
        return self.is_valid() and bool((self.form.cleaned_data.get("q") or "").strip())

    @cached_property
    def search_query(self):
        """The search parsed once for the rows and their fragments (None: no search)."""
        return search.parse(self.form.cleaned_data["q"]) if self.searching else None

    @property
    def order(self) -> str:
        """The rows' order: "relevance" only while searching (the search ranks them)."""
        value = self.form.cleaned_data.get("ordering") if self.is_valid() else None
        if value == "relevance" and self.searching:
            return value
        return value if value in QUEUE_ORDERINGS else "deadline"

    def filter_queryset(self, queryset):
        """Every field at once: an empty status means the open appeals and an empty order
        the nearest deadline, which a filter of its own would skip as "not given". A
        value that does not validate is left out, as if not given."""
        data = self.form.cleaned_data
        status = data.get("status") or "open"
        if status == "open":
            queryset = queryset.filter(status__in=Appeal.OPEN_STATUSES)
        elif status != "all":
            queryset = queryset.filter(status=status)
        if data.get("topic"):
            queryset = queryset.filter(topic_id__in=topic_with_subtopics(pk=data["topic"].pk))
        if data.get("municipality"):
            # A district's appeals include those of its units.
            queryset = queryset.filter(municipality_id__in=place_and_parts(data["municipality"]))
        if data.get("overdue"):
            queryset = queryset.filter(status__in=Appeal.OPEN_STATUSES, deadline__lt=self.today)
        if data.get("due_soon"):
            queryset = queryset.filter(
                status__in=Appeal.OPEN_STATUSES,
                deadline__gte=self.today,
                deadline__lte=self.today + timedelta(days=DUE_SOON_DAYS),
            )
        if self.search_query:
            queryset = search.search(queryset, self.search_query, scope=self.scope)
            if self.order == "relevance":
                return queryset
        return queryset.order_by(*QUEUE_ORDERINGS[self.order])
