"""The topic tree (issue 21): its data, the filing form's choice of a subtopic, the
deputy's correction, the topic model (training, evaluation, the nightly job) and the
suggestion while the citizen types."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from appeals import suggestions, tasks
from appeals.models import Appeal, AppealEvent, Topic, TopicModel
from appeals.services import topic_model
from appeals.throttling import TopicSuggestionThrottle
from appeals.topics import TREE, load_tree
from tests.appeals.helpers import file_appeal, form_data
from tests.factories import AppealFactory

pytestmark = pytest.mark.django_db

ROOF_TEXT = "Течёт крыша над нашей квартирой, после дождя заливает потолок и стены"


@pytest.fixture(autouse=True)
def _no_model_in_memory():
    # The process keeps the active model a minute: each test starts from its database.
    suggestions.active.clear()
    yield
    suggestions.active.clear()


@pytest.fixture
def small_data(monkeypatch):
    """A slice of KZgovData beside every demo text: the same pipeline, fitted in a
    second or two (and fitted once per process: the same data gives the same model)."""
    rows = topic_model.kzgov_rows()[::6]
    monkeypatch.setattr(topic_model, "kzgov_rows", lambda: rows)


@pytest.fixture
def trained(small_data):
    return topic_model.topic_model_train()


def topic(slug):
    return Topic.objects.get(slug=slug)


# --- the tree ---------------------------------------------------------------------------


def test_the_tree_keeps_todays_topics_at_the_top_and_adds_subtopics():
    tops = list(Topic.objects.filter(parent=None).values_list("slug", flat=True))
    assert tops == [slug for slug, *_rest in TREE]
    assert "trade" in tops  # advertising had no topic at all
    roof = topic("housing-roof")
    assert roof.parent.slug == "housing"
    assert roof.full_name == "ЖКХ → Кровля и протечки"
    assert topic("trade-ads").parent.name == "Торговля и реклама"
    # Every top topic has subtopics, and every subtopic is one level down.
    assert not Topic.objects.filter(parent__parent__isnull=False).exists()
    assert set(Topic.objects.filter(children__isnull=True, parent=None)) == set()


def test_loading_the_tree_again_keeps_each_appeal_on_its_topic(citizen):
    appeal = file_appeal(citizen, topic=topic("housing"))
    housing = appeal.topic_id
    from django.apps import apps

    load_tree(apps)
    appeal.refresh_from_db()
    assert appeal.topic_id == housing
    assert Topic.objects.get(pk=housing).parent is None


# --- filing -----------------------------------------------------------------------------


def test_the_form_groups_subtopics_under_their_topic(client, citizen):
    client.force_login(citizen)
    html = client.get(reverse("appeals:appeal_create"), {"region": "77"}).content.decode()
    assert '<optgroup label="ЖКХ">' in html
    assert "ЖКХ — в целом" in html
    assert f'<option value="{topic("housing-roof").pk}">Кровля и протечки</option>' in html
    # The suggestion slot, asked while typing and never waited for.
    assert 'id="topic-suggestion"' in html
    assert reverse("appeals:topic_suggestion") in html


def test_a_citizen_files_under_a_subtopic_and_it_is_kept_as_their_choice(client, citizen):
    client.force_login(citizen)
    roof = topic("housing-roof")
    to_check = form_data(topic=roof.pk)
    del to_check["confirm"]  # the form's own button: checked, not filed
    check = client.post(reverse("appeals:appeal_create"), to_check)
    assert "ЖКХ → Кровля и протечки" in check.content.decode()
    client.post(reverse("appeals:appeal_create"), form_data(topic=roof.pk))
    appeal = Appeal.objects.get(citizen=citizen)
    assert appeal.topic == roof
    assert appeal.citizen_topic == roof


def test_a_topic_must_be_chosen(client, citizen):
    client.force_login(citizen)
    response = client.post(reverse("appeals:appeal_create"), form_data(topic=""))
    assert response.status_code == 200
    assert not Appeal.objects.exists()


# --- the deputy's correction --------------------------------------------------------------


def test_the_deputy_corrects_the_topic_and_the_history_says_so(client, citizen, deputy):
    appeal = file_appeal(citizen, chosen_deputy=deputy, topic=topic("roads"))
    client.force_login(deputy.user)
    page = client.get(appeal.get_absolute_url()).content.decode()
    assert 'id="topic-correct"' in page

    response = client.post(
        reverse("appeals:appeal_topic", args=[appeal.number]), {"topic": topic("trade-ads").pk}
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.topic.slug == "trade-ads"
    assert appeal.citizen_topic.slug == "roads"  # the citizen's choice is kept
    event = AppealEvent.objects.get(appeal=appeal, type=AppealEvent.Type.TOPIC_CHANGED)
    assert event.actor == deputy.user
    assert (event.params["from"], event.params["to"]) == ("roads", "trade-ads")

    page = client.get(appeal.get_absolute_url()).content.decode()
    assert "Торговля и реклама → Рекламные конструкции" in page
    assert "из «Дороги и транспорт» в «Торговля и реклама → Рекламные конструкции»" in page
    assert 'id="citizen-topic"' in page

    # The same topic again: nothing happened, nothing recorded.
    client.post(
        reverse("appeals:appeal_topic", args=[appeal.number]), {"topic": topic("trade-ads").pk}
    )
    assert AppealEvent.objects.filter(type=AppealEvent.Type.TOPIC_CHANGED).count() == 1


def test_the_citizen_is_not_offered_the_correction(client, citizen, deputy):
    appeal = file_appeal(citizen, chosen_deputy=deputy)
    client.force_login(citizen)
    assert 'id="topic-correct"' not in client.get(appeal.get_absolute_url()).content.decode()
    response = client.post(
        reverse("appeals:appeal_topic", args=[appeal.number]), {"topic": topic("trade-ads").pk}
    )
    assert response.status_code == 403
    appeal.refresh_from_db()
    assert appeal.topic.slug == "roads"


# --- the model ------------------------------------------------------------------------------


def test_evaluate_prints_macro_f1_and_top_accuracies(small_data, capsys):
    call_command("topic_model", "evaluate")
    out = capsys.readouterr().out
    assert "Held-out fifth of the training data" in out
    assert "Demo texts (model trained without them)" in out
    for figure in ("macro-F1", "top-1", "top-3"):
        assert out.count(figure) == 4  # top topics and subtopics, on both sets
    assert not TopicModel.objects.exists()  # evaluating stores nothing


def test_train_stores_an_active_versioned_model_with_its_evaluation(small_data):
    first = topic_model.topic_model_train()
    second = topic_model.topic_model_train()
    assert (first.version, second.version) == (1, 2)
    assert list(TopicModel.objects.filter(is_active=True)) == [second]
    assert second.trained_on == {
        "kzgovdata": len(topic_model.kzgov_rows()),
        "demo": 231,
        "platform": 0,  # fewer confirmed appeals than PLATFORM_MIN
    }
    held_out = second.evaluation["held_out_fifth"]["top_level"]
    assert held_out["top1"] > 0.6
    assert 0 < held_out["macro_f1"] <= 1


def test_a_suggestion_names_the_subtopic_its_parent_and_the_words(trained):
    found = suggestions.suggest(ROOF_TEXT)
    assert 1 <= len(found) <= 3
    best = found[0]
    assert (best.top, best.sub) == ("housing", "housing-roof")
    assert "крыша" in best.words


def test_no_model_no_suggestion():
    assert suggestions.suggest(ROOF_TEXT) == []


def test_the_nightly_job_retrains_with_the_platforms_confirmed_topics(
    small_data, monkeypatch, deputy
):
    monkeypatch.setattr(topic_model, "PLATFORM_MIN", 3)
    roads, ads = topic("roads"), topic("trade-ads")
    answered = Appeal.Status.ANSWERED
    # Confirmed: answered and not corrected (2), or corrected (1); not yet: still open.
    AppealFactory.create_batch(2, deputy=deputy, topic=roads, citizen_topic=roads, status=answered)
    AppealFactory(deputy=deputy, topic=ads, citizen_topic=roads)
    AppealFactory(deputy=deputy, topic=roads, citizen_topic=roads)
    assert topic_model.confirmed_appeals().count() == 3

    result = tasks.retrain_topic_model()
    model = TopicModel.objects.get(is_active=True)
    assert result["version"] == model.version
    assert model.trained_on["platform"] == 3


def test_the_nightly_job_is_scheduled():
    from django_celery_beat.models import PeriodicTask

    job = PeriodicTask.objects.get(task="appeals.retrain_topic_model")
    assert (job.crontab.hour, job.crontab.minute) == ("3", "40")


# --- the suggestion while typing ----------------------------------------------------------


def suggest(client, text, subject=""):
    return client.post(reverse("appeals:topic_suggestion"), {"subject": subject, "text": text})


def test_the_citizen_typing_gets_the_topic_and_two_alternatives(client, citizen, trained):
    client.force_login(citizen)
    response = suggest(client, ROOF_TEXT, subject="Протекает кровля")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'data-topic-id="{topic("housing-roof").pk}"' in html
    assert "ЖКХ → Кровля и протечки" in html
    assert html.count("topic-suggestion-choice") == 3
    assert "крыша" in html  # the words that suggested it


def test_too_little_text_or_no_model_answers_empty(client, citizen):
    client.force_login(citizen)
    assert suggest(client, ROOF_TEXT).content == b""  # no model
    assert suggest(client, "Крыша").content == b""


def test_suggestions_are_throttled(client, citizen, trained, monkeypatch):
    monkeypatch.setattr(TopicSuggestionThrottle, "THROTTLE_RATES", {"topic_suggestion": "2/min"})
    client.force_login(citizen)
    assert suggest(client, ROOF_TEXT).content
    assert suggest(client, ROOF_TEXT).content
    third = suggest(client, ROOF_TEXT)
    assert third.status_code == 200 and third.content == b""  # the form goes on without


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("citizen", 200),
        ("other_citizen", 200),
        ("deputy", 403),
        ("other_deputy", 403),
        ("committee", 403),
        ("other_committee", 403),
        ("federal", 403),
    ],
)
def test_only_citizens_are_suggested_topics(client, request, role, status):
    from tests.helpers import login

    login(client, role, request)
    assert suggest(client, ROOF_TEXT).status_code == status


def test_staff_are_not_suggested_topics(client, admin_user):
    client.force_login(admin_user)
    assert suggest(client, ROOF_TEXT).status_code == 403


# --- the API ------------------------------------------------------------------------------


def test_the_api_shows_the_tree_and_an_appeals_subtopic_with_its_parent(api, citizen):
    file_appeal(citizen, topic=topic("roads-repair"))
    listed = api.get("/api/v1/topics/", {"parent": "roads"}).json()["results"]
    roads = next(children for slug, _name, _en, children in TREE if slug == "roads")
    assert {t["slug"] for t in listed} == {slug for slug, _name, _en in roads}
    assert {t["parent"] for t in listed} == {"roads"}
    tops = api.get("/api/v1/topics/", {"top": "true"}).json()["results"]
    assert all(t["parent"] is None for t in tops) and len(tops) == len(TREE)
    appeal = api.get("/api/v1/appeals/").json()["results"][0]
    assert (appeal["topic"], appeal["topic_parent"]) == ("roads-repair", "roads")


def test_a_top_topic_as_a_filter_takes_in_its_subtopics(client, api, citizen, deputy):
    file_appeal(citizen, chosen_deputy=deputy, topic=topic("roads-repair"), subject="Яма")
    file_appeal(citizen, chosen_deputy=deputy, topic=topic("roads"), subject="Дорога")
    file_appeal(citizen, chosen_deputy=deputy, topic=topic("housing"), subject="Сырость в квартире")
    listed = api.get("/api/v1/appeals/", {"topic": "roads"}).json()["results"]
    assert sorted(a["subject"] for a in listed) == ["Дорога", "Яма"]
    listed = api.get("/api/v1/appeals/", {"topic": "roads-repair"}).json()["results"]
    assert [a["subject"] for a in listed] == ["Яма"]
    assert api.get("/api/v1/appeals/", {"topic": "no-such"}).json()["results"] == []

    client.force_login(deputy.user)
    page = client.get(reverse("appeals:dashboard"), {"topic": topic("roads").pk})
    html = page.content.decode()
    assert "Яма" in html and "Дорога" in html and "Сырость в квартире" not in html
    assert "— Ямы и ремонт дорог" in html  # subtopics under their topic in the list
