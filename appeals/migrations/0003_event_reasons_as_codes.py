"""The system's history reasons become codes worded when shown (appeals.history): the
rows written before, in Russian (or, in a test database, English), are read back
into codes. Reasons a person wrote, and any text not recognised, stay as they are."""

import re

from django.db import migrations

BATCH = 2000
NUMBER = r"(?P<number>\S+)"
# (event type, pattern of the stored text, the code). The service's wording in Russian
# and English, and the demo seeder's own.
PATTERNS = [
    ("routed", r"направлено депутату .+: выбран гражданином", "chosen"),
    ("routed", r"routed to .+: chosen by the citizen", "chosen"),
    ("routed", r"выбран гражданином: .+", "chosen"),
    ("routed", r"(направлено депутату )?.+: округ включает .+", "district"),
    ("routed", r"routed to .+: the district covers .+", "district"),
    ("routed", r"(направлено депутату )?.+: меньше всего открытых обращений( в регионе)?", "least_loaded"),
    ("routed", r"routed to .+: the fewest open appeals in the region", "least_loaded"),
    ("routed", rf"направлено депутату .+: автору ответа на обращение № {NUMBER}", "answered_first"),
    ("routed", rf"routed to .+: answered the appeal No\. {NUMBER}", "answered_first"),
    ("queued", r"в регионе нет депутатов, принимающих обращения.*", "no_deputy"),
    ("queued", r"no deputy of the region accepts appeals.*", "no_deputy"),
    ("registered", rf"повторное обращение: гражданин не согласен с ответом на обращение № {NUMBER}", "repeat"),
    ("registered", rf"repeat appeal: the citizen disagrees with the answer to No\. {NUMBER}", "repeat"),
    ("closed", r"14 дней после ответа( без оценки)?", "no_feedback"),
    ("closed", r"14 days after the answer without feedback", "no_feedback"),
    ("closed", r"(гражданин оценил ответ|оценка гражданина)", "rated"),
    ("closed", r"the citizen rated the answer", "rated"),
    # Worded from the params they already have: only the text goes.
    ("assigned", r"назначено из очереди исполкома: .+", None),
    ("assigned", r"assigned from the committee's queue: .+", None),
    ("assigned", r"передано другому депутату после пропущенного срока: .+", None),
    ("assigned", r"taken from the deputy after the deadline was missed: .+", None),
]
COMPILED = [(type_, re.compile(pattern), why) for type_, pattern, why in PATTERNS]
TYPES = sorted({type_ for type_, _pattern, _why in PATTERNS} | {"rejected"})


def _code(event):
    """The event's new params, or None if its reason is not the system's."""
    if event.type == "rejected":
        return dict(event.params) if event.params.get("reason") else None
    for type_, pattern, why in COMPILED:
        if type_ != event.type:
            continue
        match = pattern.fullmatch(event.reason.strip())
        if match is None:
            continue
        params = dict(event.params)
        if why is not None:
            params["why"] = why
        if "number" in pattern.groupindex:
            params["first"] = match["number"]
        return params
    return None


def reasons_to_codes(apps, schema_editor):
    AppealEvent = apps.get_model("appeals", "AppealEvent")
    rows = (
        AppealEvent.objects.filter(type__in=TYPES)
        .exclude(reason="")
        .only("pk", "type", "reason", "params")
        .order_by("pk")
    )
    last = 0
    while batch := list(rows.filter(pk__gt=last)[:BATCH]):
        last = batch[-1].pk
        changed = []
        for event in batch:
            params = _code(event)
            if params is not None:
                event.params, event.reason = params, ""
                changed.append(event)
        AppealEvent.objects.bulk_update(changed, ["params", "reason"])


class Migration(migrations.Migration):
    dependencies = [("appeals", "0002_reference_data")]

    # Backwards the codes stay: the code before this one shows them as an empty reason.
    operations = [migrations.RunPython(reasons_to_codes, migrations.RunPython.noop)]
