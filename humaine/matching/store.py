"""Stored embeddings: computing them, and keeping them in memory for fast candidate search.

The first stage of every match request is a nearest-neighbour search over all whole-text
vectors of a kind (10,000 experts, 100,000 cases). Reading them from the database each
time would cost seconds, so each process keeps them as one float32 matrix per kind
(:class:`VectorMatrix`) and asks one small table per request whether it is still current:
:class:`~humaine.matching.models.IndexState` holds a ``revision`` per kind that every
write raises (inside the writing transaction, which serialises writers) and a
``generation`` that removals raise. A newer revision loads only the rows written since;
a newer generation (or another encoder) reloads the matrix.
"""

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import F

from . import sources
from .config import MatchingConfig, for_encoder, load_config
from .encoders import (
    Encoder,
    first_columns,
    first_part,
    get_encoder,
    part_rows,
    queries_of,
)
from .models import Embedding, IndexState
from .ranking import EmbeddedText, embed_texts, vector_space
from .taxonomy import DEFAULT_TAXONOMY, Taxonomy
from .text import fingerprint, segments

# --- settings ------------------------------------------------------------------------------


def encoder() -> Encoder:
    """The hub's encoder (``MATCHING_ENCODER``), as expert profiles are embedded with it."""
    return get_encoder(settings.MATCHING_ENCODER)


def query_encoder() -> Encoder:
    """The hub's encoder as inquiries are embedded with it (e5: the "query: " prefix;
    ``encoders.queries_of``), posted or stored."""
    return queries_of(encoder())


def encoder_for(kind: str) -> Encoder:
    """The encoder a kind's vectors are stored with: the hub's (inquiries: its variant for
    queries), or its first part (``sources.IndexedKind.full_space``, ``stored_full``)."""
    spec = sources.KINDS[kind]
    if spec.stored_full:
        return query_encoder()
    return encoder() if spec.full_space else first_part(encoder())


def compared_in(kind: str) -> Encoder:
    """The encoder in whose space a kind is compared with a query (``ranking.query_in``)."""
    return encoder() if sources.KINDS[kind].full_space else first_part(encoder())


def config() -> MatchingConfig:
    override, name = settings.MATCHING_CONFIG, settings.MATCHING_ENCODER
    if isinstance(override, dict):
        return for_encoder(load_config(override), name)
    return _config_from(str(override) if override else "", name)


@lru_cache(maxsize=4)
def _config_from(path: str, encoder_name: str) -> MatchingConfig:
    return for_encoder(load_config(path or None), encoder_name)


def config_for(kind: str) -> MatchingConfig:
    """The settings a kind's texts are embedded with: the hub's, without the lexicon's
    gloss for a kind that is not ``glossed`` (searched with plain query vectors)."""
    settings_ = config()
    if sources.KINDS[kind].glossed:
        return settings_
    return replace(settings_, lexicon={**settings_.lexicon, "weight": 0})


def taxonomy() -> Taxonomy:
    return _taxonomy_from(str(settings.MATCHING_TAXONOMY or DEFAULT_TAXONOMY))


@lru_cache(maxsize=4)
def _taxonomy_from(path: str) -> Taxonomy:
    return Taxonomy.load(path)


# --- writing -------------------------------------------------------------------------------


def _bump(kind: str, *, removed: bool = False) -> int:
    """Raise the kind's revision (and generation) inside the current transaction."""
    IndexState.objects.get_or_create(kind=kind)
    changes = {"revision": F("revision") + 1}
    if removed:
        changes["generation"] = F("generation") + 1
    # The update locks the row until commit: writers of one kind commit in revision order.
    IndexState.objects.filter(kind=kind).update(**changes)
    return IndexState.objects.values_list("revision", flat=True).get(kind=kind)


@dataclass
class RefreshResult:
    embedded: int = 0
    unchanged: int = 0
    removed: int = 0


def store_texts(
    kind: str, texts: dict[str, str], *, force: bool = False, model: Encoder | None = None
) -> RefreshResult:
    """Embed the texts (``{object_id: text}``) whose fingerprint changed, and store them.

    Empty texts remove the embedding. All texts go to the encoder in one call.
    """
    model = model or encoder_for(kind)
    spec = sources.KINDS[kind]
    settings_ = config_for(kind)
    space = vector_space(model, settings_)
    stored = dict(
        Embedding.objects.filter(
            kind=kind, encoder=model.name, object_id__in=list(texts)
        ).values_list("object_id", "fingerprint")
    )
    result = RefreshResult()
    todo: dict[str, tuple[str, str]] = {}
    gone = [key for key, text in texts.items() if not text.strip() and key in stored]
    for key, text in texts.items():
        if not text.strip():
            continue
        mark = fingerprint(text, space)
        if force or stored.get(key) != mark:
            todo[key] = (text, mark)
        else:
            result.unchanged += 1
    vectors = embed_texts([t for t, _ in todo.values()], model, settings_) if todo else []
    with transaction.atomic():
        if todo:
            revision = _bump(kind)
            Embedding.objects.filter(
                kind=kind, encoder=model.name, object_id__in=list(todo)
            ).delete()
            Embedding.objects.bulk_create(
                _row(kind, key, mark, embedded, model.name, revision, spec.keep_segments)
                for (key, (_, mark)), embedded in zip(todo.items(), vectors)
            )
        if gone:
            remove(kind, gone)
    result.embedded, result.removed = len(todo), len(gone)
    return result


def _row(kind, key, mark, embedded: EmbeddedText, encoder_name, revision, keep_segments):
    record = embedded.to_record()
    return Embedding(
        kind=kind,
        object_id=key,
        encoder=encoder_name,
        fingerprint=mark,
        dim=record["dim"],
        whole=embedded.vectors[0].astype(np.float32).tobytes(),
        vectors=record["vectors"],
        # confidential texts are not copied here; their segments are recomputed from the text
        segments=record["segments"] if keep_segments else [],
        language=record["language"],
        revision=revision,
    )


def remove(kind: str, keys: Iterable[str]) -> int:
    """Delete the embeddings of objects that no longer exist (all encoders)."""
    with transaction.atomic():
        count, _ = Embedding.objects.filter(kind=kind, object_id__in=list(keys)).delete()
        if count:
            _bump(kind, removed=True)
    return count


def drop_other_encoders(kind: str) -> int:
    """Delete a kind's vectors of encoders other than the one it is stored with now
    (``encoder_for``): left behind when ``MATCHING_ENCODER`` changed. No matrix holds them."""
    count, _ = Embedding.objects.filter(kind=kind).exclude(encoder=encoder_for(kind).name).delete()
    return count


def refresh_objects(kind: str, pks: Iterable[int], *, force: bool = False) -> RefreshResult:
    """Re-embed the given objects of a model-backed kind where their text changed."""
    spec = sources.KINDS[kind]
    pks = [int(pk) for pk in pks]
    objects = {obj.pk: obj for obj in spec.queryset().filter(pk__in=pks)}
    texts = {str(pk): spec.text(obj) for pk, obj in objects.items()}
    result = store_texts(kind, texts, force=force)
    missing = [str(pk) for pk in pks if pk not in objects]
    if missing:
        result.removed += remove(kind, missing)
    return result


def refresh_methods(*, force: bool = False) -> RefreshResult:
    """Embed the methods of every method source where their text changed."""
    entries = sources.method_entries()
    result = store_texts("method", {key: e.text for key, e in entries.items()}, force=force)
    stale = set(Embedding.objects.filter(kind="method").values_list("object_id", flat=True)) - set(
        entries
    )
    if stale:
        result.removed += remove("method", stale)
    return result


# Stored vectors read for ranking, kept per process. A row's fingerprint hashes the text,
# the encoder and the segmentation, so (kind, encoder, key, fingerprint) always names the
# same vectors. Bounded; about 20 kB per profile of ten segments.
EMBEDDED_CACHE_SIZE = 4096
_EMBEDDED: "OrderedDict[tuple, tuple]" = OrderedDict()
_EMBEDDED_LOCK = threading.Lock()


def load_embedded(
    kind: str, keys: Iterable, texts: dict | None = None, matrix: "VectorMatrix | None" = None
) -> dict:
    """Return ``{key: EmbeddedText}`` for the stored texts among ``keys``.

    ``texts`` (``{key: text}``) restores the segments of kinds that do not store them.
    Vectors read before are taken from the process's cache when their row's fingerprint is
    unchanged: one small query for the fingerprints (none when the kind's current
    ``matrix`` knows them), the vectors only of rows not cached.
    """
    name, compared = encoder_for(kind).name, compared_in(kind)
    keys = [str(k) for k in keys]
    marks = matrix.fingerprints(keys) if matrix is not None and matrix.encoder_name == name else {}
    unknown = [key for key in keys if key not in marks]
    if unknown:
        marks |= dict(
            Embedding.objects.filter(kind=kind, encoder=name, object_id__in=unknown).values_list(
                "object_id", "fingerprint"
            )
        )
    found: dict[str, tuple] = {}
    with _EMBEDDED_LOCK:
        for key, mark in marks.items():
            hit = _EMBEDDED.get((kind, name, key, mark))
            if hit is not None:
                _EMBEDDED.move_to_end((kind, name, key, mark))
                found[key] = hit
    missing = [key for key in marks if key not in found]
    if missing:
        rows = Embedding.objects.filter(kind=kind, encoder=name, object_id__in=missing).values_list(
            "object_id", "vectors", "dim", "segments", "language", "fingerprint"
        )
        read = {}
        for key, vectors, dim, segs, language, mark in rows:
            matrix = np.frombuffer(bytes(vectors), dtype=np.float32).reshape(-1, dim)
            matrix = part_rows(matrix, compared)
            read[(kind, name, key, mark)] = found[key] = (matrix, tuple(segs or ()), language)
        with _EMBEDDED_LOCK:
            _EMBEDDED.update(read)
            while len(_EMBEDDED) > EMBEDDED_CACHE_SIZE:
                _EMBEDDED.popitem(last=False)
    out = {}
    for key, (matrix, segs, language) in found.items():
        if not segs and texts is not None and key in texts:
            segs = tuple(segments(texts[key]) or [texts[key]])
        if len(segs) != len(matrix) - 1:
            segs = ("",) * (len(matrix) - 1)
        out[key] = EmbeddedText(matrix, segs, language)
    return out


def forget_embedded() -> None:
    """Drop the cached vectors (tests; a process that switched databases)."""
    with _EMBEDDED_LOCK:
        _EMBEDDED.clear()


def current_vectors(kind: str, key, text: str) -> EmbeddedText | None:
    """The stored vectors of an indexed text if they were computed from ``text``, else None
    (as stored: an inquiry's in the hub encoder's whole space)."""
    model = encoder_for(kind)
    row = (
        Embedding.objects.filter(
            kind=kind,
            encoder=model.name,
            object_id=str(key),
            fingerprint=fingerprint(text, vector_space(model, config_for(kind))),
        )
        .values_list("vectors", "dim", "segments", "language")
        .first()
    )
    if row is None:
        return None
    vectors, dim, segs, language = row
    matrix = np.frombuffer(bytes(vectors), dtype=np.float32).reshape(-1, dim)
    segs = segs or segments(text) or [text]
    if len(segs) != len(matrix) - 1:
        return None
    return EmbeddedText(matrix, tuple(segs), language)


# --- reading: the per-process matrix -------------------------------------------------------


class VectorMatrix:
    """All whole-text vectors of one kind, as a float32 matrix kept current per request."""

    def __init__(self, kind: str):
        self.kind = kind
        self.encoder_name = ""
        self.dim = 0
        self.revision = -1
        self.generation = -1
        self.epoch = ""
        self.keys: list[str] = []
        self.marks: list[str] = []
        self.position: dict[str, int] = {}
        self._buffer = np.zeros((0, 0), dtype=np.float32)
        self._lock = threading.Lock()

    @property
    def matrix(self) -> np.ndarray:
        return self._buffer[: len(self.keys)]

    def sync(self, encoder_name: str, revision: int, generation: int, epoch: str, dim: int = 0):
        """Bring the matrix up to the kind's state; ``dim``: keep each row's first ``dim``
        columns, of unit length again (``encoders.part_rows``; 0: the whole row)."""
        with self._lock:
            if (encoder_name, generation, epoch, dim) != (
                self.encoder_name,
                self.generation,
                self.epoch,
                self.dim,
            ) or revision < self.revision:
                self.dim = dim
                self._load_all(encoder_name, revision, generation)
                self.epoch = epoch
            elif revision > self.revision:
                self._load_since(revision)
        return self

    def fingerprints(self, keys: Iterable[str]) -> dict[str, str]:
        """The fingerprints of the rows among ``keys`` this matrix holds."""
        with self._lock:
            return {key: self.marks[self.position[key]] for key in keys if key in self.position}

    def _rows(self, **filters):
        return Embedding.objects.filter(
            kind=self.kind, encoder=self.encoder_name, **filters
        ).values_list("object_id", "whole", "revision", "fingerprint")

    def _load_all(self, encoder_name: str, revision: int, generation: int) -> None:
        self.encoder_name = encoder_name
        rows = list(self._rows().order_by("pk"))
        self.keys = [key for key, _, _, _ in rows]
        self.marks = [mark for _, _, _, mark in rows]
        self.position = {key: i for i, key in enumerate(self.keys)}
        if rows:
            blob = b"".join(bytes(whole) for _, whole, _, _ in rows)
            self._buffer = self._part(np.frombuffer(blob, dtype=np.float32).reshape(len(rows), -1))
        else:
            self._buffer = np.zeros((0, 0), dtype=np.float32)
        self.revision = max([revision, *(rev for _, _, rev, _ in rows)])
        self.generation = generation

    def _load_since(self, revision: int) -> None:
        rows = list(self._rows(revision__gt=self.revision))
        for key, whole, rev, mark in rows:
            vector = self._part(np.frombuffer(bytes(whole), dtype=np.float32))
            index = self.position.get(key)
            if index is None:
                index = self._append(key, len(vector))
            self._buffer[index] = vector
            self.marks[index] = mark
            self.revision = max(self.revision, rev)
        self.revision = max(self.revision, revision)

    def _part(self, rows: np.ndarray) -> np.ndarray:
        """A writable copy of ``rows``, cut to the first ``dim`` columns when asked to."""
        if not self.dim or rows.shape[-1] == self.dim:
            return rows.copy()
        return first_columns(rows, self.dim)

    def _append(self, key: str, dim: int) -> int:
        n = len(self.keys)
        if self._buffer.shape[1] != dim:
            self._buffer = np.zeros((max(16, n), dim), dtype=np.float32)
        elif n >= len(self._buffer):
            grown = np.zeros((max(16, 2 * len(self._buffer)), dim), dtype=np.float32)
            grown[:n] = self._buffer[:n]
            self._buffer = grown
        self.keys.append(key)
        self.marks.append("")
        self.position[key] = n
        return n


_MATRICES: dict[str, VectorMatrix] = {}
_MATRICES_LOCK = threading.Lock()


def matrices(kinds: Iterable[str]) -> dict[str, VectorMatrix]:
    """The current matrices of ``kinds`` (one small query to check they are current)."""
    kinds = list(kinds)
    states = {
        kind: state
        for kind, *state in IndexState.objects.filter(kind__in=kinds).values_list(
            "kind", "revision", "generation", "epoch"
        )
    }
    out = {}
    for kind in kinds:
        with _MATRICES_LOCK:
            matrix = _MATRICES.setdefault(kind, VectorMatrix(kind))
        stored, compared = encoder_for(kind), compared_in(kind)
        dim = compared.dim if compared.dim != stored.dim else 0
        out[kind] = matrix.sync(stored.name, *states.get(kind, (0, 0, "")), dim=dim)
    return out


def forget_matrices() -> None:
    """Drop the cached matrices and vectors (tests; a process that switched databases)."""
    with _MATRICES_LOCK:
        _MATRICES.clear()
    forget_embedded()
