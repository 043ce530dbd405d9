from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.functional import lazy
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from deputies.models import Body, Deputy, Municipality
from deputies.selectors import municipalities_of

from .attachments import MAX_FILES
from .models import Appeal, Topic
from .place_field import PlaceChoiceField
from .selectors import topic_tree, topics_active


class ListedChoiceIterator(ModelChoiceIterator):
    """Reads the options with one plain query. Django's own streams them through a
    server-side cursor, three round trips on PostgreSQL for a list of a few dozen."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ModelChoiceField(forms.ModelChoiceField):
    iterator = ListedChoiceIterator

    def label_from_instance(self, obj):
        # Reference data (topics, municipalities) in the reader's language.
        return getattr(obj, "display_name", None) or str(obj)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the content checks live in appeals.attachments."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _attachments_help():
    return ngettext(
        "Up to %(max)s file: PDF, JPEG or PNG, at most 10 MB.",
        "Up to %(max)s files: PDF, JPEG or PNG, at most 10 MB each.",
        MAX_FILES,
    ) % {"max": MAX_FILES}


# Worded when a form is shown, in its reader's language.
ATTACHMENTS_HELP = lazy(_attachments_help, str)()


SELECTED = flatatt({"selected": True})


class QuickSelect(forms.Select):
    """Draws its options in one pass instead of a template per option: a region's
    municipalities run to hundreds once the classifier is loaded, on the form every
    filing opens. Attributes (class, required, aria-*) come as Django's Select gets them."""

    def render(self, name, value, attrs=None, renderer=None):
        final = {**self.build_attrs(self.attrs, attrs), "name": name}
        current = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((key, SELECTED if str(key) in current else "", label) for key, label in self.choices),
        )
        return format_html("<select{}>{}</select>", flatatt(final), options)


class QuickHidden(forms.HiddenInput):
    """A hidden input drawn without a template: the filing form carries four of them."""

    def render(self, name, value, attrs=None, renderer=None):
        # As Django's input template writes it: type, name, value, then the attributes.
        value = self.format_value(value)
        return format_html(
            '<input type="hidden" name="{}"{}{}>',
            name,
            flatatt({"value": value}) if value is not None else "",
            flatatt(self.build_attrs(self.attrs, attrs)),
        )


class ReferenceChoiceField(forms.ChoiceField):
    """A choice among reference rows held in memory (core.reference): drawing the list
    and checking the answer ask the database nothing. Cleans to the row, or None."""

    widget = QuickSelect

    def __init__(self, *args, empty_label=None, **kwargs):
        self.empty_label = empty_label
        self.rows = {}
        super().__init__(*args, **kwargs)

    def set_rows(self, rows: dict) -> None:
        self.rows = {str(key): row for key, row in rows.items()}
        choices = [(key, row.display_name) for key, row in self.rows.items()]
        self.choices = [("", self.empty_label), *choices] if self.empty_label else choices

    def clean(self, value):
        return self.rows.get(super().clean(value))


class TopicSelect(QuickSelect):
    """The topic tree in one native select: each top topic an option group, its first
    option the top topic itself («ЖКХ — в целом»), then its subtopics. Native, so
    screen readers and phones show the groups as they do everywhere."""

    def render(self, name, value, attrs=None, renderer=None):
        final = {**self.build_attrs(self.attrs, attrs), "name": name}
        current = {str(v) for v in self.format_value(value)}

        def option(key, label):
            selected = SELECTED if str(key) in current else ""
            return format_html('<option value="{}"{}>{}</option>', key, selected, label)

        parts = [option("", self.empty_label)] if self.empty_label else []
        for top, children in self.tree:
            if not children:
                parts.append(option(top.pk, top.display_name))
                continue
            general = _("%(topic)s — in general") % {"topic": top.display_name}
            inner = [option(top.pk, general), *(option(c.pk, c.display_name) for c in children)]
            parts.append(
                format_html('<optgroup label="{}">{}</optgroup>', top.display_name, _joined(inner))
            )
        return format_html("<select{}>{}</select>", flatatt(final), _joined(parts))


def _joined(parts):
    """Safe (already escaped) pieces as one safe string."""
    return format_html_join("", "{}", ((part,) for part in parts))


class TopicChoiceField(ReferenceChoiceField):
    """A topic of the tree, top or sub: the appeal holds the most specific choice."""

    widget = TopicSelect

    def set_rows(self, rows: dict) -> None:
        super().set_rows(rows)
        self.widget.tree = topic_tree(rows)
        self.widget.empty_label = self.empty_label


class AppealForm(forms.Form):
    """The filing form. Whom the appeal goes to is decided by the municipality and, if
    the citizen chose one (on the finder or a deputy's page), the deputy, carried as a
    hidden id: a region may have thousands of deputies, never listed in one select."""

    municipality = PlaceChoiceField(
        label=_("Municipality"),
        required=False,
        empty_label=_("— not specified —"),
        help_text=_(
            "Where the problem is. Unless you choose a deputy, it decides whose electoral "
            "district the appeal goes to."
        ),
    )
    level = forms.ChoiceField(
        label=_("To the deputies of"),
        required=False,
        choices=[("", _("any body")), *Body.Level.choices],
        widget=QuickSelect,
    )
    deputy = ModelChoiceField(
        queryset=Deputy.objects.none(),
        required=False,
        widget=QuickHidden,
        error_messages={
            "invalid_choice": _(
                "The deputy you chose does not accept appeals now: choose another or send "
                "the appeal automatically."
            )
        },
    )
    topic = TopicChoiceField(
        label=_("Topic"),
        empty_label=_("— choose a topic —"),
        help_text=_(
            "Choose the closest subtopic if there is one. As you write, the topic the text "
            "is about is suggested below the text."
        ),
    )
    subject = forms.CharField(
        label=_("Subject"),
        max_length=200,
        help_text=_("In a few words, for example: «No street lights in the yard of house 7»."),
    )
    text = forms.CharField(
        label=_("Text of the appeal"), max_length=20000, widget=forms.Textarea(attrs={"rows": 10})
    )
    address = forms.CharField(
        label=_("Address the appeal is about"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    attachments = MultipleFileField(label=_("Attachments"), help_text=ATTACHMENTS_HELP)
    drop = forms.MultipleChoiceField(
        label=_("Files attached on the previous step"),
        help_text=_("They are kept: tick one to remove it. Files you choose below are added."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    full_name = forms.CharField(
        label=_("Your full name"),
        max_length=200,
        help_text=_("Appeals are not accepted anonymously."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    consent = forms.BooleanField(
        label=_("I agree to the processing of my personal data on the terms of the consent"),
        required=True,
    )
    token = forms.CharField(widget=QuickHidden, max_length=64)
    repeat_of = forms.CharField(widget=QuickHidden, max_length=20, required=False)
    # The files kept since the check step (appeals.staging), signed.
    staged = forms.CharField(widget=QuickHidden, required=False)

    def __init__(self, *args, region, user, repeat_of=None, staged=(), **kwargs):
        if repeat_of is not None:
            # A repeat appeal starts from the first one: the citizen adds what they dispute.
            kwargs["initial"] = {
                "municipality": repeat_of.municipality_id,
                "topic": repeat_of.topic_id,
                "subject": _("Repeat appeal to No. %(number)s") % {"number": repeat_of.number},
                "repeat_of": repeat_of.number,
                **kwargs.get("initial", {}),
            }
        super().__init__(*args, **kwargs)
        self.region = region
        self.staged = list(staged)
        self.fields["municipality"].set_rows(municipalities_of(region_id=region.pk))
        self.fields["topic"].set_rows(topics_active())
        if self.is_bound and self.data.get("deputy"):  # only a choice to check needs the list
            self.fields["deputy"].queryset = (
                Deputy.objects.accepting().filter(region=region).select_related("body", "district")
            )
        if self.staged:
            self.fields["drop"].choices = [
                (item.key, _("remove %(name)s") % {"name": item.name}) for item in self.staged
            ]
        else:
            del self.fields["drop"]
        if user.full_name:
            del self.fields["full_name"]
        if repeat_of is not None:
            del self.fields["level"]

    def live_recipient(self, url: str) -> None:
        """Say again whom the appeal goes to when the municipality or the level changes
        (htmx; appeals.views.filing.appeal_recipient)."""
        attrs = {
            "hx-get": url,
            "hx-trigger": "change",
            "hx-target": "#recipient",
            "hx-include": "#appeal-form [name=region], #id_municipality, #id_level",
        }
        for name in ("municipality", "level"):
            if name in self.fields:
                self.fields[name].widget.attrs.update(attrs)

    def clean(self):
        data = super().clean()
        dropped = set(data.get("drop") or ())
        kept = [item for item in self.staged if item.key not in dropped]
        if len(kept) + len(data.get("attachments") or ()) > MAX_FILES:
            self.add_error("attachments", _("Attach at most %(max)s files.") % {"max": MAX_FILES})
        data["kept"] = kept
        data["dropped"] = [item for item in self.staged if item.key in dropped]
        return data


class OwnIds:
    """Several of the appeal page's forms share field names (reason, deputy): each form's
    ids start with its own name, so no id or label is claimed twice on the page."""

    ids = "id_%s"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", self.ids)
        super().__init__(*args, **kwargs)


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Message"), max_length=20000, widget=forms.Textarea(attrs={"rows": 6})
    )
    attachments = MultipleFileField(label=_("Attachments"), help_text=ATTACHMENTS_HELP)


class ReplyForm(MessageForm):
    """The deputy's reply: the button pressed says whether it is the final answer, and a
    final answer needs its confirmation (the page's dialog, or without JavaScript the
    checkbox the form shows once the final answer was asked for)."""

    final = forms.BooleanField(required=False, widget=forms.HiddenInput)
    confirm_final = forms.BooleanField(
        label=_(
            "Yes, this is the final answer on the merits: the appeal counts as answered "
            "and only a supplementary answer can follow"
        ),
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("final") and not data.get("confirm_final"):
            self.add_error(
                "confirm_final",
                _("Confirm that this is the final answer, or send the text as an interim reply."),
            )
        return data

    @property
    def final_requested(self) -> bool:
        """The final answer was asked for: the page shows its confirmation."""
        return self.is_bound and self.fields["final"].to_python(self.data.get("final"))


class RedirectForm(OwnIds, forms.Form):
    ids = "id_redirect_%s"
    deputy = ModelChoiceField(label=_("Redirect to"), queryset=Deputy.objects.none())
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, deputies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = deputies


class AssignForm(forms.Form):
    deputy = ModelChoiceField(label=_("Assign to"), queryset=Deputy.objects.none())

    def __init__(self, *args, deputies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = deputies


class ExtendForm(OwnIds, forms.Form):
    ids = "id_extend_%s"
    days = forms.IntegerField(label=_("Extend by, days"), min_value=1, max_value=30)
    reason = forms.CharField(
        label=_("Reason the citizen will see"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RejectForm(OwnIds, forms.Form):
    ids = "id_reject_%s"
    reason = forms.ChoiceField(label=_("Ground"), choices=Appeal.RejectionReason.choices)
    details = forms.CharField(
        label=_("Explanation for the citizen"),
        max_length=2000,
        required=False,
        help_text=_("For a court decision: how to appeal it; for a public answer: the link."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TopicCorrectionForm(OwnIds, forms.Form):
    """The deputy's correction of the appeal's topic."""

    ids = "id_topic_%s"
    topic = TopicChoiceField(label=_("Topic"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].set_rows(topics_active())


class EmptyForm(forms.Form):
    """For actions that take no input beyond the CSRF token."""


class WithdrawForm(OwnIds, forms.Form):
    ids = "id_withdraw_%s"
    reason = forms.CharField(label=_("Why (optional)"), max_length=1000, required=False)


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("open", _("Open")), ("all", _("All")), *Appeal.Status.choices],
    )
    topic = ModelChoiceField(
        label=_("Topic"), queryset=Topic.objects.all(), required=False, empty_label=_("All topics")
    )
    municipality = ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("All municipalities"),
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    ordering = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("deadline", _("Deadline, nearest first")),
            ("-deadline", _("Deadline, latest first")),
            ("-registered", _("Newest first")),
            ("registered", _("Oldest first")),
        ],
    )

    def __init__(self, *args, region_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.filter(region_id=region_id)


class EraseForm(forms.Form):
    password = forms.CharField(
        label=_("Your password, to confirm"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my appeals lose their text and my account is closed for good")
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not right."))
        return password


class CollectiveJoinForm(forms.Form):
    """The similar appeals ticked on the appeal page; only those listed may be joined."""

    appeals = forms.MultipleChoiceField(
        label=_("Similar appeals"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, numbers=(), **kwargs):
        kwargs.setdefault("auto_id", "id_join_%s")
        super().__init__(*args, **kwargs)
        self.fields["appeals"].choices = [(n, n) for n in numbers]


class CollectiveAnswerForm(forms.Form):
    text = forms.CharField(
        label=_("The answer to every appeal"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_collective_%s")
        super().__init__(*args, **kwargs)
