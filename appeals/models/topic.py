from django.db import models
from django.utils.translation import gettext_lazy as _

from deputies.models import LocalizedNameMixin


class Topic(LocalizedNameMixin, models.Model):
    """A topic of the two-level tree: a top topic (no parent) or one of its subtopics.
    An appeal holds the most specific topic chosen."""

    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        limit_choices_to={"parent__isnull": True},  # two levels: a subtopic has no children
        verbose_name=_("parent topic"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.name

    @property
    def full_name(self) -> str:
        """«ЖКХ → Кровля и протечки» for a subtopic, the name alone for a top topic."""
        if self.parent_id:
            return f"{self.parent.display_name} → {self.display_name}"
        return self.display_name

    @property
    def root_id(self) -> int:
        """The top topic's id: its own for a top topic."""
        return self.parent_id or self.pk

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.parent_id and (self.parent_id == self.pk or self.parent.parent_id):
            raise ValidationError({"parent": _("A subtopic belongs to a top-level topic.")})
        if self.parent_id and self.pk and self.children.exists():
            raise ValidationError({"parent": _("A topic with subtopics stays at the top level.")})


class TopicModel(models.Model):
    """A trained topic-suggestion model (appeals.suggestions), versioned with what it was
    trained on and how well it did; the active one suggests topics on the filing form.
    Trained by this project only (`manage.py topic_model train`, the nightly job):
    never downloaded."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    trained_on = models.JSONField(_("trained on, texts by source"), default=dict)
    evaluation = models.JSONField(_("evaluation"), default=dict)
    pipeline = models.BinaryField(_("fitted pipeline (joblib)"), editable=False)
    is_active = models.BooleanField(_("active"), default=False)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("topic model")
        verbose_name_plural = _("topic models")

    def __str__(self):
        return f"v{self.version}"
