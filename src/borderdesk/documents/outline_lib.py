"""The only tags and filters a report outline may use (a restricted Django template library).

Tags: if/elif/else, for/empty, with, firstof. Filters: upper, lower, capfirst, default, length, join,
first, last, yesno, and Vietnamese formatting: num, pct, count (zero-padded "04"), amount ("86 tỷ USD").
No load, include, extends, url, debug or any other tag.
"""

from django.template import Library, defaultfilters, defaulttags

from borderdesk.core import vn

register = Library()

for _name in ("if", "for", "with", "firstof"):
    register.tags[_name] = defaulttags.register.tags[_name]
for _name in ("upper", "lower", "capfirst", "default", "length", "join", "first", "last", "yesno"):
    register.filters[_name] = defaultfilters.register.filters[_name]


@register.filter
def num(value):
    try:
        return vn.format_number(value)
    except (ValueError, TypeError):
        return value


@register.filter
def pct(value):
    try:
        return vn.format_percent(value, 1)
    except (ValueError, TypeError):
        return value


@register.filter
def count(value):
    try:
        return vn.zero_pad_count(value)
    except (ValueError, TypeError):
        return value


@register.filter
def amount(value, unit=""):
    try:
        return vn.format_amount(value, unit)
    except (ValueError, TypeError):
        return value
