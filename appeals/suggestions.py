"""Topic suggestions while the citizen types: a small linear model over the text.

Features: TF-IDF over the text's lemmas (core.text: «крыши», «крышу» are one word) and
over character n-grams inside words (char_wb: misspellings and words pymorphy does not
know still share most of their n-grams). Two logistic regressions on them: one over
the top topics, trained on every text; one over the subtopics, trained on the texts
whose label is a subtopic (KZgovData's are mostly top topics only). A suggestion
ranks (top topic, subtopic) pairs by P(top) × P(subtopic | top) and says which lemmas
weighed most for it.

The fitted model is stored in the database (TopicModel, joblib bytes) by
appeals.services.topic_model; nothing is ever downloaded. No active model: no
suggestion, and the form works the same.
"""

import io
import threading
import time
from dataclasses import dataclass, field

import numpy as np

from core.text import lemmas

# A subtopic is suggested when it takes at least this share of its top topic's
# subtopic probability; below that the top topic alone is the better advice.
MIN_SUB_SHARE = 0.35
# Below this the suggestion is a guess: none is shown.
MIN_SCORE = 0.12
WORDS = 3  # the words shown for each suggestion
TTL_SECONDS = 60  # how often a process looks for a newer active model
MAX_CHARS = 3000  # the start of a text says what it is about; the rest only costs time


def lemma_tokens(text: str) -> list[str]:
    """The lemma analyzer of the TF-IDF (module-level: the fitted pipeline pickles it
    by name). One- and two-letter words (prepositions, «не») carry no topic."""
    return [word for word in lemmas(text) if len(word) > 2 and not word.isdigit()]


def build_features():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    return FeatureUnion(
        [
            ("lemmas", TfidfVectorizer(analyzer=lemma_tokens, sublinear_tf=True, min_df=1)),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(3, 5),
                    sublinear_tf=True,
                    min_df=2,
                    max_features=30000,
                    lowercase=True,
                ),
            ),
        ]
    )


def _classifier():
    from sklearn.linear_model import SGDClassifier

    # Logistic loss for probabilities; SGD fits the 60-odd classes in a second where
    # lbfgs took a minute. Balanced: the shipped sets cover some topics ten times more
    # than others, which must not make those the answer to everything.
    return SGDClassifier(
        loss="log_loss", alpha=2e-5, max_iter=60, tol=1e-3, class_weight="balanced", random_state=0
    )


@dataclass
class Fitted:
    """What is pickled: the features, the two classifiers and the tree they were trained
    for (slug → parent slug), so a model outlives later edits of the tree."""

    features: object
    top: object
    sub: object | None
    parents: dict
    lemma_count: int = 0  # the first columns of the features are the lemmas

    def lemma_names(self):
        # Built once per loaded model: sklearn builds the whole array on every call.
        names = self.__dict__.get("_names")
        if names is None:
            names = self.features.transformer_list[0][1].get_feature_names_out()
            self.__dict__["_names"] = names
        return names

    def vectorize(self, text: str):
        """The text's feature row: each vectorizer called directly, without the union's
        job dispatch (a third of a suggestion's time)."""
        from scipy.sparse import hstack

        parts = [
            vectorizer.transform([text]) for _name, vectorizer in self.features.transformer_list
        ]
        return hstack(parts, format="csr")


def probabilities(model, row) -> dict:
    """The classifier's probabilities for one sparse row, as its predict_proba gives
    them (one-vs-rest logistic, normalised), computed on the row's own columns only:
    sklearn multiplies by the whole transposed coefficient matrix, copying it (33 MB)
    on every call."""
    coef = model.coef_[:, row.indices]
    decision = coef @ row.data + model.intercept_
    classes = [str(c) for c in model.classes_]
    if len(classes) == 2:
        positive = 1.0 / (1.0 + np.exp(-decision[0]))
        return {classes[0]: 1.0 - positive, classes[1]: positive}
    p = 1.0 / (1.0 + np.exp(-decision))
    p /= p.sum()
    return dict(zip(classes, p.tolist(), strict=True))


def fit(texts: list[str], labels: list[str], parents: dict) -> Fitted:
    """Fit on texts labelled with topic slugs (a top topic or a subtopic)."""
    texts = [text[:MAX_CHARS] for text in texts]
    features = build_features()
    matrix = features.fit_transform(texts)
    tops = [parents.get(label) or label for label in labels]
    top = _classifier().fit(matrix, tops)
    subs = [i for i, label in enumerate(labels) if parents.get(label)]
    sub = None
    if len({labels[i] for i in subs}) >= 2:
        sub = _classifier().fit(matrix[subs], [labels[i] for i in subs])
    lemma_count = len(features.transformer_list[0][1].vocabulary_)
    return Fitted(features, top, sub, dict(parents), lemma_count)


def dump(fitted: Fitted) -> bytes:
    import joblib

    buffer = io.BytesIO()
    joblib.dump(fitted, buffer, compress=3)
    return buffer.getvalue()


def load(data: bytes) -> Fitted:
    import joblib

    # The bytes are a model this project trained itself (appeals.services.topic_model)
    # and stored in its own database; nothing from outside is ever unpickled here.
    return joblib.load(io.BytesIO(bytes(data)))  # nosec B301


@dataclass
class Candidate:
    top: str  # the top topic's slug
    sub: str | None  # the subtopic's slug, if one is suggested
    score: float
    words: list[str] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.sub or self.top


def rank(fitted: Fitted, text: str, *, limit: int = 3) -> list[Candidate]:
    """The best (top topic, subtopic) pairs for the text, best first, with the lemmas
    that suggested each."""
    row = fitted.vectorize(text[:MAX_CHARS])
    p_top = probabilities(fitted.top, row)
    p_sub = probabilities(fitted.sub, row) if fitted.sub is not None else {}
    by_top: dict[str, list[tuple[str, float]]] = {}
    for slug, p in p_sub.items():
        by_top.setdefault(fitted.parents.get(slug), []).append((slug, p))
    pairs = []
    for top, p in p_top.items():
        children = by_top.get(top, [])
        mass = sum(p for _slug, p in children)
        best = sorted(children, key=lambda item: -item[1])
        added = False
        for slug, p_child in best[:2]:
            share = p_child / mass if mass else 0
            if share >= MIN_SUB_SHARE:
                pairs.append(Candidate(top, slug, float(p * share)))
                added = True
        if not added:
            pairs.append(Candidate(top, None, float(p)))
    pairs.sort(key=lambda c: -c.score)
    chosen = pairs[:limit]
    for candidate in chosen:
        candidate.words = _words(fitted, row, candidate)
    return chosen


def _words(fitted: Fitted, row, candidate: Candidate) -> list[str]:
    """The text's lemmas that weigh most for the candidate: coefficient × tf-idf."""
    model, label = (fitted.sub, candidate.sub) if candidate.sub else (fitted.top, candidate.top)
    classes = [str(c) for c in model.classes_]
    coef = model.coef_[classes.index(label)] if len(classes) > 2 else None
    if coef is None:  # binary: one row of coefficients, for classes_[1]
        sign = 1 if classes.index(label) == 1 else -1
        coef = sign * model.coef_[0]
    lemma_columns = row.indices < fitted.lemma_count  # the row's lemma features
    columns, values = row.indices[lemma_columns], row.data[lemma_columns]
    if not len(columns):
        return []
    weights = values * coef[columns]
    order = np.argsort(-weights)[:WORDS]
    names = fitted.lemma_names()
    return [str(names[columns[i]]) for i in order if weights[i] > 0]


class _Active:
    """The active model of this process, looked up at most once a minute."""

    def __init__(self):
        self.lock = threading.Lock()
        self.checked = 0.0
        self.version = None
        self.fitted = None

    def get(self):
        now = time.monotonic()
        if now - self.checked < TTL_SECONDS:
            return self.fitted
        with self.lock:
            if now - self.checked < TTL_SECONDS:
                return self.fitted
            from .models import TopicModel

            version = (
                TopicModel.objects.filter(is_active=True)
                .order_by("-version")
                .values_list("version", flat=True)
                .first()
            )
            if version != self.version:
                self.fitted = None
                if version is not None:
                    data = TopicModel.objects.get(version=version).pipeline
                    self.fitted = load(data)
                self.version = version
            self.checked = time.monotonic()
            return self.fitted

    def clear(self):
        with self.lock:
            self.checked = 0.0
            self.version = None
            self.fitted = None


active = _Active()


def suggest(text: str) -> list[Candidate]:
    """Up to three suggestions for the text (the first the best), none when there is
    no active model, too little text or no confident guess."""
    if len((text or "").strip()) < 15:
        return []
    fitted = active.get()
    if fitted is None:
        return []
    ranked = rank(fitted, text)
    if not ranked or ranked[0].score < MIN_SCORE:
        return []
    return ranked
