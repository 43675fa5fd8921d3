"""What the public petition pages show of a record in the reader's language."""

from django import template

from haicap.feedback.models import Category
from haicap.feedback.public_forms import category_label

register = template.Library()


@register.filter
def category_name(category: Category) -> str:
    return category_label(category)
