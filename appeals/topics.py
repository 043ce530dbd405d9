"""The topic list of the spec, loaded by a migration and editable in the admin."""

TOPICS = [
    ("housing", "ЖКХ", "Housing and utilities"),
    ("roads", "Дороги и транспорт", "Roads and transport"),
    ("landscaping", "Благоустройство", "Landscaping"),
    ("healthcare", "Здравоохранение", "Healthcare"),
    ("education", "Образование", "Education"),
    ("social", "Социальная поддержка", "Social support"),
    ("environment", "Экология", "Environment"),
    ("safety", "Безопасность и правопорядок", "Safety and order"),
    ("economy", "Экономика и занятость", "Economy and jobs"),
    ("culture", "Культура и спорт", "Culture and sport"),
    ("other", "Другое", "Other"),
]


def load_topics(apps):
    Topic = apps.get_model("appeals", "Topic")
    for position, (slug, name, name_en) in enumerate(TOPICS, start=1):
        Topic.objects.update_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "position": position}
        )
