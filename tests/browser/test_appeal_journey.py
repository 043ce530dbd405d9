"""The main journey in a real browser: a citizen signs up and files an appeal with an
attachment, checks it, edits it and sends it (a double click files one), and gets the
receipt; the routed deputy finds it on the dashboard, replies and answers; the citizen
sees the answer and the timeline."""

import re

import pytest
from django.core import mail

from appeals.models import Appeal
from tests.appeals.helpers import png_bytes
from tests.factories import DeputyFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sign_in(page, base, email, password, second_factor):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    second_factor(page, email)
    page.wait_for_url(lambda url: "/accounts/login/" not in url and "/two-factor/" not in url)


def sign_out(page):
    """From the account menu (behind the menu button on a narrow screen)."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
    page.click("#account-menu")
    page.click("nav form button")


def test_citizen_files_deputy_answers_citizen_sees_it(
    reference_data, page, live_server, second_factor, tmp_path
):
    base = live_server.url
    deputy = DeputyFactory(
        region_code="16", full_name="Сафина Алия Рашидовна", user__email="safina@example.org"
    )
    photo = tmp_path / "yama.png"
    photo.write_bytes(png_bytes())

    # A citizen signs up, confirms the e-mail and signs in.
    page.goto(f"{base}/accounts/signup/")
    page.fill("#id_full_name", "Гарипов Ильдар Маратович")
    page.fill("#id_email", "ildar@example.org")
    page.fill("#id_password1", "Kazan-spring-2026")
    page.fill("#id_password2", "Kazan-spring-2026")
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/signup/sent/")
    link = re.search(r"https?://\S+/accounts/confirm/\S+", mail.outbox[-1].body).group(0)
    page.goto(base + link.split("testserver", 1)[-1] if "testserver" in link else link)
    assert "подтверждён" in page.inner_text("main")  # told so on the sign-in page
    sign_in(page, base, "ildar@example.org", "Kazan-spring-2026", second_factor)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    # Files an appeal with an attachment: the form, then the check step.
    page.click("text=Новое обращение")
    page.select_option("#id_region", "16")
    page.click("main button[type=submit]")
    page.select_option("#id_topic", label="Дороги и транспорт — в целом")
    page.fill("#id_subject", "Яма на улице Баумана")
    page.fill("#id_text", "На улице Баумана у дома 12 глубокая яма.\nМашины повреждают колёса.")
    page.set_input_files("#id_attachments", str(photo))
    page.check("#id_consent")
    page.click("#check-appeal")
    page.wait_for_selector("#appeal-confirm")
    assert not Appeal.objects.exists()  # nothing is registered before the confirmation
    assert "yama.png" in page.inner_text("#summary-files")
    assert "наименее загруженный депутат региона" in page.inner_text("#summary-recipient")

    # Goes back to change the subject: everything typed and the file are kept.
    page.click("#edit-appeal")
    page.wait_for_selector("#appeal-form")
    assert page.input_value("#id_text").endswith("Машины повреждают колёса.")
    assert "yama.png" in page.inner_text("#staged-files")
    page.fill("#id_subject", "Яма на улице Баумана у дома 12")
    page.click("#check-appeal")
    page.wait_for_selector("#appeal-confirm")
    assert "у дома 12" in page.inner_text("#summary-subject")

    # Sends it with an impatient double click: one appeal, and its receipt.
    page.dblclick("#file-appeal")
    page.wait_for_selector("#receipt")
    appeal = Appeal.objects.get()
    assert appeal.deputy == deputy
    assert appeal.subject == "Яма на улице Баумана у дома 12"
    receipt = page.inner_text("#receipt")
    assert appeal.number in receipt
    assert appeal.deadline.strftime("%d.%m.%Y") in receipt
    assert "осталось 30 дней" in receipt
    assert "Сафина Алия Рашидовна" in receipt
    assert "yama.png" in receipt
    assert page.is_visible("#print-receipt")
    page.click("#to-appeal")
    page.wait_for_selector("#appeal-status")
    assert "yama.png" in page.inner_text("main")
    sign_out(page)

    # The routed deputy signs in, finds it on the dashboard, replies, then answers.
    sign_in(page, base, "safina@example.org", "correct-horse-42", second_factor)
    page.click("text=Кабинет")
    assert page.inner_text("#count-new") == "1"
    page.click(f"text={appeal.number}")
    page.fill("#id_text", "Запросила план ремонта дорог у администрации.")
    page.click("#send-interim")
    page.wait_for_selector("text=Ответ отправлен гражданину")
    page.fill("#id_text", "Яму заделают до 1 декабря: работы включены в план.")
    page.click("#send-final")
    page.click("#confirm-final")  # the dialog asks before the final answer goes
    page.wait_for_selector("#appeal-status:has-text('Дан ответ')")
    sign_out(page)

    # The citizen sees the answer and the timeline.
    sign_in(page, base, "ildar@example.org", "Kazan-spring-2026", second_factor)
    page.click("text=Мои обращения")
    page.click(f"text={appeal.number}")
    assert page.inner_text("#appeal-status") == "Дан ответ"
    main = page.inner_text("main")
    assert "Яму заделают до 1 декабря" in main
    timeline = page.inner_text("#timeline")
    for step in (
        "Зарегистрировано",
        "Направлено",
        "Взято в работу",
        "Промежуточный ответ",
        "Дан ответ",
    ):
        assert step in timeline
