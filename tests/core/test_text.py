from core.text import lemmas, words


def test_word_forms_and_vowel_drops_share_a_lemma():
    assert lemmas("подъезд подъезде подъезды") == ["подъезд"] * 3
    assert lemmas("колодец колодца") == ["колодец"] * 2


def test_yo_hyphens_and_numbers_are_kept_as_people_write_them():
    assert words("Ёлка у дома №15-а, из-за ям") == ["елка", "у", "дома", "15-а", "из-за", "ям"]
    assert lemmas("течёт") == ["течь"]
