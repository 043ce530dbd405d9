"""A name in the case the sentence needs, in Russian only: {{ deputy.full_name|dative }}."""

from django import template

from deputies import names

register = template.Library()

register.filter("dative", names.dative)
register.filter("genitive", names.genitive)
register.filter("instrumental", names.instrumental)
