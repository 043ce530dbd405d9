from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from deputies.models import Body, Deputy, Municipality

from .attachments import MAX_FILES
from .models import Appeal, Topic


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


class AppealForm(forms.Form):
    municipality = ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("— not specified —"),
    )
    level = forms.ChoiceField(
        label=_("To the deputies of"),
        required=False,
        choices=[("", _("any body")), *Body.Level.choices],
    )
    deputy = ModelChoiceField(
        label=_("Deputy"),
        queryset=Deputy.objects.none(),
        required=False,
        empty_label=_("Automatically: the deputy of my district or the least busy one"),
    )
    topic = ModelChoiceField(
        label=_("Topic"), queryset=Topic.objects.filter(is_active=True), empty_label=None
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
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
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    repeat_of = forms.CharField(widget=forms.HiddenInput, max_length=20, required=False)

    def __init__(self, *args, region, user, repeat_of=None, **kwargs):
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
        self.fields["municipality"].queryset = Municipality.objects.filter(region=region)
        self.fields["deputy"].queryset = (
            Deputy.objects.accepting().filter(region=region).order_by("full_name", "pk")
        )
        if user.full_name:
            del self.fields["full_name"]
        if repeat_of is not None:
            del self.fields["level"]
            same = repeat_of.deputy
            if same is not None and same.accepts_appeals:
                self.fields["deputy"].empty_label = _("The deputy who answered: %(name)s") % {
                    "name": same.full_name
                }


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Message"), max_length=20000, widget=forms.Textarea(attrs={"rows": 6})
    )
    attachments = MultipleFileField(label=_("Attachments"), help_text=ATTACHMENTS_HELP)


class ReplyForm(MessageForm):
    final = forms.BooleanField(label=_("This is the final answer on the merits"), required=False)


class RedirectForm(forms.Form):
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


class ExtendForm(forms.Form):
    days = forms.IntegerField(label=_("Extend by, days"), min_value=1, max_value=30)
    reason = forms.CharField(
        label=_("Reason the citizen will see"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RejectForm(forms.Form):
    reason = forms.ChoiceField(label=_("Ground"), choices=Appeal.RejectionReason.choices)
    details = forms.CharField(
        label=_("Explanation for the citizen"),
        max_length=2000,
        required=False,
        help_text=_("For a court decision: how to appeal it; for a public answer: the link."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class EmptyForm(forms.Form):
    """For actions that take no input beyond the CSRF token."""


class WithdrawForm(forms.Form):
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
