from django import template

from deputies.selectors import place_label

register = template.Library()


@register.filter
def place(appeal) -> str:
    """`{{ appeal|place }}`: the appeal's municipality with its district, no query."""
    return place_label(region_id=appeal.region_id, municipality_id=appeal.municipality_id)
