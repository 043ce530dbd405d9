"""The topic tree of the spec, loaded by migrations and editable in the admin: the top
topics (those of migration 0002, plus trade and advertising) and their subtopics,
where appeals cluster. Slugs are stable: the API files by them and the topic model's
training data (appeals/data/kzgovdata, demo.texts) is labelled with them."""

# (slug, name, name in English, [(slug, name, name in English), ...])
TREE = [
    ("housing", "ЖКХ", "Housing and utilities", [
        ("housing-roof", "Кровля и протечки", "Roofs and leaks"),
        ("housing-facade", "Фасады", "Facades"),
        ("housing-heating", "Отопление", "Heating"),
        ("housing-water", "Водоснабжение", "Water supply"),
        ("housing-sewage", "Водоотведение и канализация", "Sewage"),
        ("housing-basement", "Подвалы", "Basements"),
        ("housing-common", "Общее имущество и подъезды", "Common property and entrances"),
        ("housing-company", "Управляющая компания", "Management company"),
        ("housing-lifts", "Лифты", "Lifts"),
        ("housing-repair", "Капитальный ремонт", "Major repairs"),
        ("housing-bills", "Плата за ЖКУ", "Utility bills"),
        ("housing-power", "Электро- и газоснабжение", "Electricity and gas"),
    ]),
    ("roads", "Дороги и транспорт", "Roads and transport", [
        ("roads-repair", "Ямы и ремонт дорог", "Potholes and road repair"),
        ("roads-transit", "Общественный транспорт", "Public transport"),
        ("roads-parking", "Парковки", "Parking"),
        ("roads-signals", "Светофоры и разметка", "Traffic lights and markings"),
        ("roads-sidewalks", "Тротуары и переходы", "Pavements and crossings"),
    ]),
    ("landscaping", "Благоустройство", "Landscaping", [
        ("landscaping-yards", "Дворы", "Yards"),
        ("landscaping-playgrounds", "Детские и спортивные площадки", "Playgrounds"),
        ("landscaping-greenery", "Озеленение", "Greenery"),
        ("landscaping-lighting", "Уличное освещение", "Street lighting"),
        ("landscaping-waste", "Уборка и вывоз мусора", "Cleaning and waste"),
        ("landscaping-snow", "Снег и наледь", "Snow and ice"),
    ]),
    ("healthcare", "Здравоохранение", "Healthcare", [
        ("healthcare-clinics", "Поликлиники и запись к врачу", "Clinics and appointments"),
        ("healthcare-medicines", "Лекарственное обеспечение", "Medicines"),
        ("healthcare-ambulance", "Скорая помощь", "Ambulance"),
        ("healthcare-hospitals", "Больницы", "Hospitals"),
    ]),
    ("education", "Образование", "Education", [
        ("education-kindergartens", "Детские сады", "Kindergartens"),
        ("education-schools", "Школы", "Schools"),
        ("education-meals", "Школьное питание", "School meals"),
        ("education-clubs", "Кружки и дополнительное образование", "Clubs and extra classes"),
    ]),
    ("social", "Социальная поддержка", "Social support", [
        ("social-benefits", "Пенсии и пособия", "Pensions and benefits"),
        ("social-families", "Многодетные семьи", "Large families"),
        ("social-disability", "Инвалидность и доступная среда", "Disability and access"),
        ("social-housing", "Жильё для нуждающихся", "Housing for those in need"),
    ]),
    ("environment", "Экология", "Environment", [
        ("environment-air", "Загрязнение воздуха", "Air pollution"),
        ("environment-dumps", "Свалки", "Illegal dumps"),
        ("environment-water", "Реки и водоёмы", "Rivers and lakes"),
        ("environment-trees", "Вырубка деревьев", "Tree felling"),
        ("environment-animals", "Безнадзорные животные", "Stray animals"),
    ]),
    ("safety", "Безопасность и правопорядок", "Safety and order", [
        ("safety-police", "Полиция и правопорядок", "Police and public order"),
        ("safety-corruption", "Коррупция", "Corruption"),
        ("safety-noise", "Шум и нарушение тишины", "Noise"),
        ("safety-fire", "Пожарная безопасность", "Fire safety"),
    ]),
    ("economy", "Экономика и занятость", "Economy and jobs", [
        ("economy-jobs", "Работа и трудоустройство", "Jobs"),
        ("economy-wages", "Задержка зарплаты", "Unpaid wages"),
        ("economy-business", "Малый бизнес", "Small business"),
    ]),
    ("culture", "Культура и спорт", "Culture and sport", [
        ("culture-sport", "Спорт", "Sport"),
        ("culture-houses", "Библиотеки и дома культуры", "Libraries and culture centres"),
        ("culture-heritage", "Памятники и наследие", "Monuments and heritage"),
    ]),
    ("trade", "Торговля и реклама", "Trade and advertising", [
        ("trade-ads", "Рекламные конструкции", "Advertising structures"),
        ("trade-kiosks", "Нестационарная торговля", "Kiosks and street trade"),
        ("trade-shops", "Магазины и кафе", "Shops and cafés"),
        ("trade-consumer", "Защита прав потребителей", "Consumer rights"),
    ]),
    ("other", "Другое", "Other", [
        ("other-internet", "Связь и интернет", "Telephone and internet"),
        ("other-offices", "Работа органов власти", "Public offices"),
    ]),
]  # fmt: skip

# Before the tree: the top topics in the order of migration 0002, trade added in 0011
# before "other".
TOPICS = [(slug, name, name_en) for slug, name, name_en, _children in TREE]


def parent_slugs() -> dict[str, str | None]:
    """Every slug of the tree: its parent's slug, None for a top topic."""
    parents = {}
    for slug, _name, _name_en, children in TREE:
        parents[slug] = None
        for child, _child_name, _child_en in children:
            parents[child] = slug
    return parents


def load_topics(apps):
    """Create or update the topics of migration 0002 (top level only: the tree's parent
    column comes with migration 0011, which loads the tree with load_tree)."""
    Topic = apps.get_model("appeals", "Topic")
    for position, (slug, name, name_en) in enumerate(TOPICS, start=1):
        if slug == "trade":
            continue  # added with the tree
        Topic.objects.update_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "position": position}
        )


def load_tree(apps):
    """The whole tree; a topic already there (by slug) keeps its row, so appeals keep
    theirs, and takes its parent and position from here. Positions number the tree in
    order, children right after their parent."""
    Topic = apps.get_model("appeals", "Topic")
    position = 0
    for slug, name, name_en, children in TREE:
        position += 1
        parent, _created = Topic.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "name_en": name_en, "position": position, "parent": None},
        )
        for child_slug, child_name, child_en in children:
            position += 1
            Topic.objects.update_or_create(
                slug=child_slug,
                defaults={
                    "name": child_name,
                    "name_en": child_en,
                    "position": position,
                    "parent": parent,
                },
            )


def unload_tree(apps):
    Topic = apps.get_model("appeals", "Topic")
    Appeal = apps.get_model("appeals", "Appeal")
    for sub in Topic.objects.filter(parent__isnull=False):
        Appeal.objects.filter(topic=sub).update(topic_id=sub.parent_id)
    Topic.objects.filter(parent__isnull=False).delete()
    Topic.objects.filter(slug="trade", appeals__isnull=True).delete()
