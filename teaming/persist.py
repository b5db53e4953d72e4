"""Save a fitted team to a directory and load it back, safely.

The directory holds one ``skops`` file per component (preprocessing, AI, person models,
methods, router state), ``metadata.json`` (format and library version, data schema,
training figures, SHA-256 of every file) and a model card in English (``MODEL_CARD.md``)
and German (``MODELLKARTE.md``).

Loading never unpickles: ``skops`` rebuilds objects from a declarative description and only
instantiates types it is told to trust. The trusted list is computed per file from what the
file declares, and accepted only when every type is one we write ourselves (from
``teaming``, scikit-learn, NumPy, SciPy or Python's builtins) and was recorded at save time;
anything else fails with :class:`UntrustedContentError` naming the types. A directory written
by an incompatible format version fails with :class:`IncompatibleModelError`.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.utils.validation import check_is_fitted

__all__ = [
    "FORMAT_VERSION",
    "IncompatibleModelError",
    "UntrustedContentError",
    "load_team",
    "save_team",
]

FORMAT_VERSION = 2
_COMPONENTS = ("preprocessor", "ai", "persons", "methods", "state")
_TRUSTED_ROOTS = ("teaming", "sklearn", "numpy", "scipy", "builtins", "collections")
# scikit-learn's histogram gradient boosting keeps a partial of its own check_array; skops
# vets the wrapped function separately, so the partial itself is safe to rebuild
_TRUSTED_EXTRA = ("functools.partial",)


class IncompatibleModelError(RuntimeError):
    """The directory is not a saved team, or was saved by an incompatible version.

    Parameters
    ----------
    message : str
        What is wrong with the directory and what to do.

    Examples
    --------
    >>> import tempfile
    >>> try:
    ...     load_team(tempfile.mkdtemp())
    ... except IncompatibleModelError as err:
    ...     print(str(err).endswith("is not a saved team (no metadata.json)"))
    True
    """


class UntrustedContentError(RuntimeError):
    """A saved file declares object types outside the trusted set.

    Parameters
    ----------
    message : str
        The file and the refused types.

    Examples
    --------
    >>> issubclass(UntrustedContentError, RuntimeError)
    True
    """


def _library_version() -> str:
    from . import __version__

    return __version__


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _plain(value: Any) -> Any:
    """JSON-ready copy (numpy scalars and arrays to Python, non-finite floats to None)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return repr(value)


def save_team(team: Any, path: Any, evaluation: Any = None, persons: str = "named") -> Path:
    """Save a fitted team to directory ``path`` (created if needed).

    Parameters
    ----------
    team : HumanAITeam
        A fitted team.
    path : str or path
        Target directory.
    evaluation : Evaluation, optional
        Held-out figures for the model card (otherwise the validation figures from fit).
    persons : {"named", "pseudonymous", "aggregate"}
        How the model cards show the people in the team (see :func:`teaming.modelcard.model_card`).

    Returns
    -------
    pathlib.Path
        The directory.

    Examples
    --------
    >>> import numpy as np, pandas as pd, tempfile
    >>> from teaming import HumanAITeam
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"a": rng.normal(size=300)}); y = (X.a > 0).astype(int)
    >>> team = HumanAITeam(method="ai_only").fit(X, y)
    >>> folder = save_team(team, tempfile.mkdtemp())
    >>> load_team(folder).route(X.head(3), explain=False).routed_to.tolist()
    ['ai', 'ai', 'ai']
    """
    import skops.io as sio

    check_is_fitted(team)
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    parts = {
        "preprocessor": team.preprocessor_,
        "ai": team.ai_,
        "persons": {"inputs": team.person_inputs_, "model": team.person_model_},
        "methods": team.methods_,
        "state": {
            "confusion": team.confusion_,
            "person_accuracy": team.person_accuracy_,
            "background": team.background_,
            "stream_gains": team.stream_gains_,
            "routable": team.routable_,
            "novelty": team.novelty_,
        },
    }
    files, declared = {}, {}
    for name in _COMPONENTS:
        blob = sio.dumps(parts[name])
        target = folder / f"{name}.skops"
        target.write_bytes(blob)
        files[name] = {"file": target.name, "sha256": _sha256(target)}
        declared[name] = sorted(sio.get_untrusted_types(data=blob))
    params = {k: v for k, v in team.get_params(deep=False).items() if k != "estimator"}
    metadata = {
        "format": "teaming-team",
        "format_version": FORMAT_VERSION,
        "library_version": _library_version(),
        "saved_at": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "params": _plain(params),
        "estimator": None if team.estimator is None else repr(team.estimator),
        "schema": {
            "classes": _plain(list(team.classes_)),
            "persons": list(team.persons_),
            "roles": dict(team.roles_),
            "feature_types": dict(team.feature_types_),
            "text_encoder": team.text_encoder_,
            "uses_scores": bool(team.uses_scores_),
            "score_columns": list(team.score_columns_),
            "cost_column": team.cost_column_,
            "columns": _plain(team.columns_),
            "read_options": _plain(getattr(team, "read_options_", {})),
            "person_activity": _plain(team.person_activity_),
        },
        "method": team.method_,
        "data": _plain(team.data_summary_),
        "training_metrics": _plain(team.training_metrics_),
        "selection_report": _plain(team.selection_report_),
        "evaluation": None if evaluation is None else evaluation.to_dict(),
        "files": files,
        "declared_types": declared,
    }
    (folder / "metadata.json").write_text(json.dumps(metadata, indent=2, ensure_ascii=False))
    from .modelcard import model_card

    (folder / "MODEL_CARD.md").write_text(model_card(metadata, "en", persons), encoding="utf-8")
    (folder / "MODELLKARTE.md").write_text(model_card(metadata, "de", persons), encoding="utf-8")
    return folder


def read_metadata(path: Any) -> dict[str, Any]:
    """Read and check a saved team's ``metadata.json``.

    Parameters
    ----------
    path : str or path
        The directory.

    Returns
    -------
    dict

    Raises
    ------
    IncompatibleModelError
        Not a saved team, or an incompatible format version.
    """
    folder = Path(path)
    meta_path = folder / "metadata.json"
    if not meta_path.is_file():
        raise IncompatibleModelError(f"{folder} is not a saved team (no metadata.json)")
    try:
        metadata = json.loads(meta_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise IncompatibleModelError(f"{meta_path} is not valid JSON: {exc}") from exc
    if metadata.get("format") != "teaming-team":
        raise IncompatibleModelError(f"{folder} is not a saved team (unknown format)")
    version = metadata.get("format_version")
    if version != FORMAT_VERSION:
        raise IncompatibleModelError(
            f"{folder} was saved in format version {version} by teaming "
            f"{metadata.get('library_version')}; this is teaming {_library_version()}, which "
            f"reads format version {FORMAT_VERSION}: fit the team again with this version"
        )
    return metadata


def _load_component(folder: Path, name: str, metadata: dict, trusted: tuple[str, ...]) -> Any:
    import skops.io as sio

    entry = metadata["files"].get(name)
    if entry is None:
        raise IncompatibleModelError(f"{folder}: metadata lists no {name} component")
    target = folder / entry["file"]
    if not target.is_file():
        raise IncompatibleModelError(f"{folder}: the file {entry['file']} is missing")
    if _sha256(target) != entry["sha256"]:
        raise IncompatibleModelError(
            f"{target} does not match the checksum recorded when it was saved (changed or "
            f"damaged); refusing to load it"
        )
    found = sio.get_untrusted_types(file=target)
    recorded = set(metadata.get("declared_types", {}).get(name, []))
    allowed = [
        t
        for t in found
        if (t in recorded and (t.split(".")[0] in _TRUSTED_ROOTS or t in _TRUSTED_EXTRA))
        or t in trusted
    ]
    refused = sorted(set(found) - set(allowed))
    if refused:
        raise UntrustedContentError(
            f"{target} declares types that are not trusted: {refused}; only types from "
            f"{', '.join(_TRUSTED_ROOTS)} recorded at save time are loaded (pass "
            f"trusted=[...] to load_team if you wrote them yourself)"
        )
    return sio.load(target, trusted=allowed)


def _no_novelty(feature_types: dict[str, str]) -> Any:
    """A profile that flags nothing, for teams saved before profiles were kept."""
    from .novelty import NoveltyProfile

    profile = NoveltyProfile(feature_types)
    profile.ranges_, profile.categories_, profile.missing_limit_ = {}, {}, 1.0
    return profile


def load_team(path: Any, trusted: Any = ()) -> Any:
    """Load a team saved by :func:`save_team`.

    Parameters
    ----------
    path : str or path
        The directory.
    trusted : sequence of str
        Extra fully qualified type names to trust (e.g. the class of your own estimator).

    Returns
    -------
    HumanAITeam

    Raises
    ------
    IncompatibleModelError
        Not a saved team, an incompatible version, or a changed file.
    UntrustedContentError
        A file declares types outside the trusted set.

    Examples
    --------
    See :func:`save_team`.
    """
    from .team import HumanAITeam

    folder = Path(path)
    metadata = read_metadata(folder)
    trusted = tuple(trusted)
    parts = {name: _load_component(folder, name, metadata, trusted) for name in _COMPONENTS}
    params = dict(metadata["params"])
    team = HumanAITeam(**params)
    team.estimator = parts["ai"].estimator
    schema = metadata["schema"]
    team.classes_ = np.asarray(schema["classes"])
    team.persons_ = list(schema["persons"])
    team.roles_ = dict(schema["roles"])
    team.feature_types_ = dict(schema["feature_types"])
    team.feature_names_in_ = np.array(list(team.feature_types_), dtype=object)
    team.n_features_in_ = len(team.feature_types_)
    team.text_encoder_ = schema["text_encoder"]
    team.uses_scores_ = bool(schema["uses_scores"])
    team.score_columns_ = list(schema["score_columns"])
    team.cost_column_ = schema["cost_column"]
    team.columns_ = dict(schema.get("columns", {}))
    team.read_options_ = dict(schema.get("read_options") or {})
    activity = schema.get("person_activity")
    team.person_activity_ = activity or {
        "last_decision": dict.fromkeys(team.persons_),
        "active": list(team.persons_),
        "since": None,
    }
    team.data_summary_ = metadata["data"]
    team.leaks_ = [dict(leak) for leak in metadata["data"].get("leaks", [])]
    team.training_metrics_ = metadata["training_metrics"]
    team.selection_report_ = metadata["selection_report"]
    team.method_ = metadata["method"]
    team.preprocessor_ = parts["preprocessor"]
    team.ai_ = parts["ai"]
    team.person_inputs_ = parts["persons"]["inputs"]
    team.person_model_ = parts["persons"]["model"]
    team.methods_ = parts["methods"]
    state = parts["state"]
    team.confusion_ = state["confusion"]
    team.person_accuracy_ = state["person_accuracy"]
    team.background_ = state["background"]
    team.stream_gains_ = state["stream_gains"]
    team.routable_ = np.asarray(state["routable"], dtype=bool)
    team.persons_left_out_ = [p for p, ok in zip(team.persons_, team.routable_) if not ok]
    team.novelty_ = state.get("novelty") or _no_novelty(team.feature_types_)
    team.explainer_ = team._make_explainer()
    team.router_ = team._make_router()
    return team
