import django_filters

# Ids outside this range are refused as bad input (400) instead of reaching the database,
# where a 70-digit number overflows the integer column.
MAX_ID = 2**53


def IdFilter(field_name):
    return django_filters.NumberFilter(field_name=field_name, min_value=1, max_value=MAX_ID)
