"""Names in the cases Russian sentences need (deputies.names)."""

import pytest
from django.utils import translation

from deputies.names import FEMALE, MALE, Case, dative, decline, genitive, instrumental


@pytest.mark.parametrize(
    ("name", "genitive_", "dative_", "instrumental_"),
    [
        (
            "Попова Александра Борисовна",
            "Поповой Александры Борисовны",
            "Поповой Александре Борисовне",
            "Поповой Александрой Борисовной",
        ),
        (
            "Иванов Пётр Сергеевич",
            "Иванова Петра Сергеевича",
            "Иванову Петру Сергеевичу",
            "Ивановым Петром Сергеевичем",
        ),
        (
            "Толстой Лев Николаевич",
            "Толстого Льва Николаевича",
            "Толстому Льву Николаевичу",
            "Толстым Львом Николаевичем",
        ),
        (
            "Толстая Татьяна Никитична",
            "Толстой Татьяны Никитичны",
            "Толстой Татьяне Никитичне",
            "Толстой Татьяной Никитичной",
        ),
        (
            "Кузьмин Илья Ильич",
            "Кузьмина Ильи Ильича",
            "Кузьмину Илье Ильичу",
            "Кузьминым Ильей Ильичем",
        ),
    ],
)
def test_real_looking_names_of_both_genders(name, genitive_, dative_, instrumental_):
    assert decline(name, Case.GENITIVE) == genitive_
    assert decline(name, Case.DATIVE) == dative_
    assert decline(name, Case.INSTRUMENTAL) == instrumental_


@pytest.mark.parametrize(
    ("name", "dative_"),
    [
        # Double surnames: each half declines.
        ("Римский-Корсаков Николай Андреевич", "Римскому-Корсакову Николаю Андреевичу"),
        ("Салтыкова-Щедрина Анна Ильинична", "Салтыковой-Щедриной Анне Ильиничне"),
        # Surnames that do not decline, for either gender.
        ("Гурченко Людмила Марковна", "Гурченко Людмиле Марковне"),
        ("Гурченко Марк Гаврилович", "Гурченко Марку Гавриловичу"),
        ("Дюма Александр Дюмович", "Дюма Александру Дюмовичу"),
        ("Белых Никита Юрьевич", "Белых Никите Юрьевичу"),
        ("Седых Мария Ивановна", "Седых Марии Ивановне"),
        # A consonant surname declines for a man, not for a woman.
        ("Шевчук Юрий Юлианович", "Шевчуку Юрию Юлиановичу"),
        ("Шевчук Ольга Ивановна", "Шевчук Ольге Ивановне"),
        ("Лебедь Любовь Фоминична", "Лебедь Любови Фоминичне"),
        ("Ким Нелли Сергеевна", "Ким Нелли Сергеевне"),
        # A Turkic patronymic of two words stays; it gives the gender.
        ("Алиев Ильхам Гейдар оглы", "Алиеву Ильхаму Гейдар оглы"),
        ("Мамедова Айгюль Рашид кызы", "Мамедовой Айгюли Рашид кызы"),
        # Written first name first, as some people do: the patronymic shows the order.
        ("Агата Петровна Федотова", "Агате Петровне Федотовой"),
        # No patronymic: the surname gives the gender.
        ("Попова Александра", "Поповой Александре"),
        ("Иван Петров", "Ивану Петрову"),
        # A title before the name stays.
        ("тов. Ковалева Лора Сергеевна", "тов. Ковалевой Лоре Сергеевне"),
    ],
)
def test_odd_cases(name, dative_):
    assert decline(name, Case.DATIVE) == dative_


@pytest.mark.parametrize(
    "name",
    [
        "Ivan Petrov",  # Latin letters
        "Попова",  # one word
        "Жанна Д’Арк",  # neither word reads as a surname
        "Попова Александра Борисовна Ивановна Петрова",  # too many words
        "",
    ],
)
def test_what_cannot_be_read_is_left_as_written(name):
    assert decline(name, Case.DATIVE) == name


def test_a_gender_given_wins_over_the_guess():
    # «Саша» and «Женя» are either; the surname here gives no gender either.
    assert decline("Дюма Саша", Case.DATIVE) == "Дюма Саша"
    assert decline("Дюма Саша", Case.DATIVE, FEMALE) == "Дюма Саше"
    assert decline("Шевчук Женя", Case.DATIVE, MALE) == "Шевчуку Жене"


def test_in_english_the_name_is_untouched():
    name = "Попова Александра Борисовна"
    with translation.override("en"):
        assert (dative(name), genitive(name), instrumental(name)) == (name, name, name)
    with translation.override("ru"):
        assert dative(name) == "Поповой Александре Борисовне"
        assert genitive(name) == "Поповой Александры Борисовны"
        assert instrumental(name) == "Поповой Александрой Борисовной"
