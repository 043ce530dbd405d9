"""Formulaic answers («отписки», SPEC: Insight). Each final answer is scored after its
commit for three things a committee reads as a brush-off:

- template: a near-duplicate (MinHash over lemma bigrams, Jaccard ≥ NEAR_JACCARD) of at
  least TEMPLATE_MIN other final answers in the region. Candidates come from LSH band
  keys in an indexed table (AnswerBand), never from a scan of the region's answers;
- short: under SHORT_CHARS characters, too short to say what was done, where and when;
- unspecific: names under UNSPECIFIC_OVERLAP of the appeal's content words and none of
  its numbers (house, flat, dates), so it could answer any appeal.

The flag never enters the rating's score (formula v1); see docs/FORMULAIC_ANSWERS.md."""

import re
import time
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from appeals.models import Appeal, Message
from core import minhash
from core.text import lemmas

from .models import NEAR_CAP, AnswerBand, AnswerScore

NUM_PERM = 128
BANDS, ROWS = 32, 4  # 32 × 4 = 128: a pair at Jaccard 0.5 is a candidate with p ≈ 0.87
SHINGLE = 2
NEAR_JACCARD = 0.5
TEMPLATE_MIN = 2  # three copies of one text in a region are a template, two may be chance
NEAR_SAMPLE = 200  # the latest candidates compared: enough to reach NEAR_CAP
SHORT_CHARS = 150
UNSPECIFIC_OVERLAP = 0.2

Reason = AnswerScore.Reason

# Words that say nothing of an appeal's matter: function words and the courtesy and
# paperwork of any appeal or answer. Lemmas, «ё» as «е».
_STOP_WORDS = """
    а без более бы быть в во вам ваш весь вот все всего вы где да для до его ее если есть
    еще же за и из или им их к как какой когда кто ли либо мой мы на над наш не нет ни
    но ну о об один он она они оно от очень по под после при с со так также такой там то
    тот только том у уже чем что чтобы эта это этот я который свой мочь год день также
    себя сам самый между через ничто никто кроме тоже вопрос просить прошу помочь помощь
    обращение обратиться уважаемый здравствуйте добрый спасибо заранее депутат житель
    ответ ответить сообщать сообщить рассмотреть рассмотрение ваш информация данный
    связь указанный настоящий являться иметь сделать делать нужно необходимо пожалуйста
    """
STOP = frozenset(_STOP_WORDS.split())
YEAR = re.compile(r"^(19|20)\d\d$")
NUMBER = re.compile(r"\d+")


@dataclass(frozen=True)
class Verdict:
    length: int
    overlap: float
    names_number: bool
    formulaic: bool
    reasons: list


def signature(text: str):
    """The MinHash of the text's lemma bigrams (uint32 × NUM_PERM)."""
    words = lemmas(text)
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(max(1, len(words) - 1))}
    return minhash.signature(
        (s.encode() for s in shingles), num_perm=NUM_PERM, seed=1, scheme="affine32"
    )


def band_keys(sig) -> list[int]:
    return minhash.band_keys(sig, bands=BANDS)


def _numbers(text: str) -> set[str]:
    # Years name no place or case: «2026» in an answer says nothing of this appeal.
    return {n.lstrip("0") or "0" for n in NUMBER.findall(text or "") if not YEAR.match(n)}


def _content(text: str) -> set[str]:
    return {w for w in lemmas(text) if len(w) > 2 and not w.isdigit() and w not in STOP}


def judge(*, answer: str, appeal_text: str, appeal_number: str = "", near: int = 0) -> Verdict:
    """The verdict on one answer to one appeal, given its count of near-duplicates."""
    length = len(answer.strip())
    wanted = _content(appeal_text)
    overlap = len(wanted & _content(answer)) / len(wanted) if wanted else 1.0
    # The appeal's own number quoted back («№ 77-2026-000123») names nothing of its matter.
    said = answer.replace(appeal_number, " ") if appeal_number else answer
    names_number = bool(_numbers(appeal_text) & _numbers(said))
    reasons = []
    if near >= TEMPLATE_MIN:
        reasons.append(Reason.TEMPLATE.value)
    if length < SHORT_CHARS:
        reasons.append(Reason.SHORT.value)
    if overlap < UNSPECIFIC_OVERLAP and not names_number:
        reasons.append(Reason.UNSPECIFIC.value)
    return Verdict(length, round(overlap, 3), names_number, bool(reasons), reasons)


def _appeal_text(appeal: Appeal) -> str:
    return " ".join([appeal.subject, appeal.address, appeal.text])


def _with_reasons(score: AnswerScore) -> None:
    reasons = [r for r in score.reasons if r != Reason.TEMPLATE.value]
    if score.near_region >= TEMPLATE_MIN:
        reasons.insert(0, Reason.TEMPLATE.value)
    score.reasons, score.formulaic = reasons, bool(reasons)


@transaction.atomic
def answer_score(*, message_id: int) -> AnswerScore | None:
    """Score one final answer, once: its near-duplicates in the region
    are found through the band index, and each of them counts this answer in turn."""
    message = (
        Message.objects.select_related("appeal")
        .filter(pk=message_id, kind=Message.Kind.ANSWER, appeal__deputy__isnull=False)
        .first()
    )
    if message is None:
        return None
    existing = AnswerScore.objects.filter(message=message).first()
    if existing is not None:  # an answer's text never changes once sent
        return existing
    appeal = message.appeal
    sig = signature(message.text)
    keys = band_keys(sig)
    candidates = AnswerScore.objects.filter(
        pk__in=AnswerBand.objects.filter(region_id=appeal.region_id, key__in=keys).values(
            "score_id"
        )
    )
    if appeal.collective_id:  # one answer to a collective appeal's members is no template
        candidates = candidates.exclude(message__appeal__collective_id=appeal.collective_id)
    candidates = (
        candidates.select_for_update()
        .only("pk", "deputy_id", "signature", "near_deputy", "near_region", "reasons")
        .order_by("-pk")[:NEAR_SAMPLE]
    )
    near = [c for c in candidates if minhash.similarity(c.signature, sig) >= NEAR_JACCARD]
    verdict = judge(
        answer=message.text,
        appeal_text=_appeal_text(appeal),
        appeal_number=appeal.number,
        near=len(near),
    )
    now = timezone.now()
    score = AnswerScore.objects.create(
        message=message,
        deputy_id=appeal.deputy_id,
        region_id=appeal.region_id,
        length=verdict.length,
        overlap=verdict.overlap,
        names_number=verdict.names_number,
        near_deputy=min(NEAR_CAP, sum(c.deputy_id == appeal.deputy_id for c in near)),
        near_region=min(NEAR_CAP, len(near)),
        formulaic=verdict.formulaic,
        reasons=verdict.reasons,
        signature=sig.tobytes(),
        answered_at=message.created_at,
        computed_at=now,
    )
    AnswerBand.objects.bulk_create(
        AnswerBand(score=score, region_id=appeal.region_id, key=key) for key in keys
    )
    # Each earlier copy counts this one too, until its count reaches the cap.
    counted = [other for other in near if other.near_region < NEAR_CAP]
    for other in counted:
        other.near_region += 1
        other.near_deputy = min(NEAR_CAP, other.near_deputy + (other.deputy_id == appeal.deputy_id))
        _with_reasons(other)
        other.computed_at = now
    AnswerScore.objects.bulk_update(
        counted, ["near_region", "near_deputy", "reasons", "formulaic", "computed_at"]
    )
    return score


def answers_to_score():
    """Final answers of assigned appeals with no score yet, oldest first (the command)."""
    return (
        Message.objects.filter(
            kind=Message.Kind.ANSWER, appeal__deputy__isnull=False, answer_score__isnull=True
        )
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    )


# The beat job's run: shorter than its interval, so runs do not pile up.
RUN_SECONDS = 20
# Answers committed out of order (a long transaction) are still within a run's reach.
LOOKBACK_IDS = 1000


def answers_score_new(*, budget_seconds: float = RUN_SECONDS) -> int:
    """The beat job: final answers since the newest scored one that have no score yet,
    for at most `budget_seconds`. With no score at all it starts near the newest
    message: what came before is `manage.py score_answers`' work."""
    from django.db.models import Max

    newest = AnswerScore.objects.aggregate(last=Max("message_id"))["last"]
    if newest is None:
        newest = Message.objects.aggregate(last=Max("pk"))["last"] or 0
    stop = time.monotonic() + budget_seconds
    done = 0
    for message_id in answers_to_score().filter(pk__gt=newest - LOOKBACK_IDS)[:1000]:
        if time.monotonic() >= stop:
            break
        answer_score(message_id=message_id)
        done += 1
    return done
