from django.db import models
from django.utils.translation import gettext_lazy as _


class Synonym(models.Model):
    """Words people use for one thing («парадная» for «подъезд»): a search for either
    finds both. Stored as typed; the search reads them as lemmas, so an edit in the
    admin applies to the next search."""

    word = models.CharField(_("word or phrase"), max_length=100)
    synonym = models.CharField(_("synonym"), max_length=100)

    class Meta:
        ordering = ["word", "synonym"]
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")
        constraints = [
            models.UniqueConstraint(fields=["word", "synonym"], name="synonym_pair_unique"),
        ]

    def __str__(self):
        return f"{self.word} — {self.synonym}"


class SearchWord(models.Model):
    """The lemmas the appeals hold: a misspelt query word is read as the nearest of them
    (trigram similarity on PostgreSQL). Filled as appeals are filed and rebuilt by
    `manage.py reindex_search`; a vocabulary, not an index: it never names an appeal."""

    word = models.CharField(max_length=100, unique=True)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self):
        return self.word
