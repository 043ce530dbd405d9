"""A search corpus written for the project: short appeals as people write them, and
queries with the appeals each must find. Keys name the appeals; a query's expected
keys must all be found, and ranked above every other appeal the query finds."""

APPEALS = {
    # The entrance of a block of flats: word forms, «парадная», a misspelling.
    "entrance-dirty": ("Грязь в подъезде", "В подъезде нашего дома не убирают с весны."),
    "entrance-doors": ("Сломаны двери", "Двери подъездов не закрываются, домофон не работает."),
    "entrance-repair": ("Ремонт подъезда", "Просим включить подъезд № 3 в план ремонта."),
    "entrance-spb": ("Парадная в ужасном состоянии", "В нашей парадной облупилась краска."),
    "entrance-typo": ("Протечка", "В подьезде течёт крыша после каждого дождя."),
    # Wells: vowel drops (колодец / колодца).
    "well-open": ("Открытый колодец", "На тротуаре открытый колодец без крышки."),
    "well-lid": ("Нет крышки колодца", "С колодца сняли крышку, дети ходят рядом."),
    "well-smell": ("Запах из колодцев", "Из канализационных колодцев идёт запах."),
    # Waste.
    "waste-bins": ("Мусор не вывозят", "Мусорные баки переполнены неделю."),
    "waste-tko": ("Вывоз ТКО", "Региональный оператор по ТКО срывает график."),
    "waste-dump": ("Свалка отходов", "За гаражами свалка строительных отходов."),
    # Yards.
    "yard-cars": ("Машины во дворе", "Во дворе паркуются на газонах."),
    "yard-territory": ("Уборка придомовой территории", "Придомовая территория не убирается."),
    # Light.
    "light-street": ("Нет освещения", "На улице Садовой не горят фонари, нет освещения."),
    "light-stairs": ("Темно на лестнице", "На лестнице перегорели лампы, нет света."),
    "light-power": ("Отключают электричество", "Третий раз за месяц отключают электричество."),
    # Management companies and utilities.
    "uk-ignores": ("Управляющая компания не отвечает", "Управляющая компания игнорирует заявки."),
    "uk-short": ("Жалоба на УК", "УК не выполняет договор."),
    "utilities-bills": ("Коммунальные услуги", "Выросли платежи за коммунальные услуги."),
    "utilities-jkh": ("Тарифы ЖКХ", "Тарифы ЖКХ выросли вдвое."),
    "utilities-long": (
        "Жилищно-коммунальное хозяйство",
        "Жилищно-коммунальное хозяйство района в упадке.",
    ),
    # Heating and water.
    "heat-cold": ("Холодные батареи", "В квартире холодные батареи с октября."),
    "heat-radiator": ("Течёт радиатор", "Радиатор отопления течёт в спальне."),
    "water-none": ("Нет горячей воды", "Горячей воды нет уже две недели."),
    "water-supply": ("Перебои водоснабжения", "Перебои водоснабжения в микрорайоне."),
    # Roads.
    "road-pit": ("Яма на дороге", "На дороге у школы глубокая яма."),
    "road-pits": ("Ямы во дворе", "Во дворе сплошные ямы, машины ломаются."),
    "road-pothole": ("Выбоина на проезжей части", "Большая выбоина у перекрёстка."),
    "road-sidewalk": ("Разбит тротуар", "Тротуар разбит, пешеходы идут по дороге."),
    # Roofs.
    "roof-leak": ("Протекает крыша", "После дождя крыша протекает на пятом этаже."),
    "roof-icicles": ("Сосульки", "С кровли свисают сосульки над входом."),
    # Others, unrelated to every query above.
    "school": ("Переполненная школа", "В классах по 35 учеников, не хватает учителей."),
    "clinic": ("Запись к врачу", "В поликлинике нельзя записаться к терапевту."),
    "bus": ("Отменили автобус", "Отменили маршрут автобуса до станции."),
    "park": ("Вырубка деревьев", "В парке вырубают деревья без разрешения."),
    "playground": ("Детская площадка", "Детская площадка во дворе сломана."),
    "noise": ("Шум по ночам", "Соседи шумят по ночам, полиция не приезжает."),
    "dogs": ("Бездомные собаки", "Стая собак бегает у школы."),
    "parking": ("Платная парковка", "Ввели платную парковку возле больницы."),
    "lift": ("Не работает лифт", "Лифт стоит третий месяц."),
}

# query → the keys it must find, all of them above anything else it finds.
QUERIES = {
    # Word forms of one lemma.
    "подъезд": {"entrance-dirty", "entrance-doors", "entrance-repair", "entrance-spb"},
    "подъезде": {"entrance-dirty", "entrance-doors", "entrance-repair", "entrance-spb"},
    "подъезды": {"entrance-dirty", "entrance-doors", "entrance-repair", "entrance-spb"},
    # Synonyms: «парадная» is «подъезд» (and back).
    "парадная": {"entrance-dirty", "entrance-doors", "entrance-repair", "entrance-spb"},
    # A misspelt word finds the right one (and the same misspelling).
    "подьезд": {
        "entrance-dirty",
        "entrance-doors",
        "entrance-repair",
        "entrance-spb",
        "entrance-typo",
    },
    # Vowel drops: колодец / колодца / колодцев are one lemma.
    "колодец": {"well-open", "well-lid", "well-smell"},
    "колодца": {"well-open", "well-lid", "well-smell"},
    "крышка колодца": {"well-open", "well-lid"},
    # Synonyms, one word and phrases.
    "мусор": {"waste-bins", "waste-tko", "waste-dump"},
    "отходы": {"waste-bins", "waste-dump"},
    "придомовая территория": {"yard-territory", "yard-cars", "road-pits", "playground"},
    "УК": {"uk-ignores", "uk-short"},
    "управляющая компания": {"uk-ignores", "uk-short"},
    "ЖКХ": {"utilities-bills", "utilities-jkh", "utilities-long"},
    "свет": {"light-street", "light-stairs", "light-power"},
    "батареи": {"heat-cold", "heat-radiator"},
    "водоснабжение": {"water-none", "water-supply"},
    "ямы": {"road-pit", "road-pits", "road-pothole"},
    "кровля": {"roof-leak", "roof-icicles", "entrance-typo"},
    # Words AND-ed: both must be there.
    "яма дорога": {"road-pit"},
    "холодные батареи": {"heat-cold"},
    # Nothing of the kind.
    "космодром": set(),
}
