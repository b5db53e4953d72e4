"""The ``teaming`` command: fit, evaluate, route and report from the shell.

Exit codes
    0 success; 1 unexpected internal error; 2 wrong usage (unknown option, missing
    argument); 3 bad input data (the message names column, rows and what was expected);
    4 the model directory is not a saved team, was saved by an incompatible version, was
    changed, or declares untrusted types; 5 an optional dependency is missing (torch for the
    learned methods, dask for ``--cluster``).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import warnings
from typing import Any

__all__ = ["main", "EXIT_CODES"]

from .constants import HOLDOUT_BOOTSTRAP, MIN_PERSON_CASES

EXIT_CODES = {"ok": 0, "internal": 1, "usage": 2, "data": 3, "model": 4, "dependency": 5}

log = logging.getLogger("teaming")


def _columns(text: str | None) -> list[str] | None:
    if text is None:
        return None
    return [c.strip() for c in text.split(",") if c.strip()]


def _mapping(text: str | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in _columns(text) or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise argparse.ArgumentTypeError(f"expected name=value, got {item!r}")
        out[key.strip()] = value.strip()
    return out


def _person_capacity(text: str | None) -> Any:
    if text is None:
        return None
    if "=" not in text:
        return _limit(text)
    return {k: _limit(v) for k, v in _mapping(text).items()}


def _number(text: str) -> tuple[float, bool]:
    """A number, and whether it was written as a percentage ("30%")."""
    raw = text.strip()
    percent = raw.endswith("%")
    try:
        value = float(raw[:-1] if percent else raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    return (value / 100.0 if percent else value), percent


def _limit(text: str) -> float | int:
    """A person's limit: below 1 (or "30%") a share of the batch, from 1 a count of cases."""
    value, percent = _number(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"a person's limit must not be negative, got {text}")
    if percent or value < 1:
        if value > 1:
            raise argparse.ArgumentTypeError(f"a share cannot exceed 100 %, got {text}")
        return value
    if not value.is_integer():
        raise argparse.ArgumentTypeError(
            f"a limit of 1 or more is a count of cases and must be whole, got {text} "
            "(write a share as 0.5 or 50%)"
        )
    return int(value)


def _share(text: str) -> float:
    value, _ = _number(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(
            f"expected a share between 0 and 1 (or 0%-100%), got {text}"
        )
    return value


def _read_options(args: argparse.Namespace, saved: dict[str, Any] | None = None) -> dict[str, Any]:
    """The reading options: a saved team's, overridden by those given on the command line."""
    options: dict[str, Any] = dict(saved or {})
    given = {
        "sep": args.sep,
        "decimal": args.decimal,
        "thousands": args.thousands,
        "encoding": args.encoding,
        "dayfirst": args.dayfirst,
        "date_format": args.date_format,
        "na_values": _columns(args.na_values),
        "categorical": _columns(args.categorical),
    }
    options.update({k: v for k, v in given.items() if v is not None})
    return options


def _add_reading(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "reading CSV files",
        "Detected when not given; a saved team reads later files as it read its training "
        "file (these options override that).",
    )
    group.add_argument("--sep", help="column separator (default: detected from the header)")
    group.add_argument(
        "--decimal",
        choices=[".", ","],
        help="decimal mark (default: detected; values like 1.234 that read both ways need it)",
    )
    group.add_argument(
        "--thousands",
        help="thousands separator (default: ',' with a decimal point, '.' with a decimal "
        "comma; '' for none)",
    )
    group.add_argument(
        "--encoding",
        help="file encoding (default: UTF-8, UTF-16 with BOM, else Windows-1252)",
    )
    order = group.add_mutually_exclusive_group()
    order.add_argument(
        "--dayfirst",
        dest="dayfirst",
        action="store_const",
        const=True,
        help="dates like 01/02/2024 are day first (1 February)",
    )
    order.add_argument(
        "--monthfirst",
        dest="dayfirst",
        action="store_const",
        const=False,
        help="dates like 01/02/2024 are month first (2 January)",
    )
    group.add_argument(
        "--date-format", metavar="FORMAT", help="format of the time column, e.g. '%%d.%%m.%%Y'"
    )
    group.add_argument(
        "--na-values",
        metavar="TEXT,TEXT",
        help="further text meaning 'no value' (e.g. 'unbekannt')",
    )
    group.add_argument(
        "--categorical",
        metavar="COL,COL",
        help="columns kept as text categories even when they look like numbers (codes)",
    )


def _add_unusual(parser: argparse.ArgumentParser, default: str | None = "person") -> None:
    parser.add_argument(
        "--unusual-cases",
        choices=["person", "flag"],
        default=default,
        help="cases unlike the training data (unseen category, many missing values, numbers "
        "far outside the training values): send them to a person first (person, the "
        "default) or only flag them (flag)",
    )


def _available(text: str | None, team: Any) -> Any:
    """Availability from --available: names, a file of names, or 'all'."""
    from pathlib import Path

    if text is None:
        return None
    if text.strip().lower() == "all":
        return list(team.persons_)
    path = Path(text)
    if path.is_file():
        from .reading import detect_encoding

        lines = path.read_text(encoding=detect_encoding(path)).splitlines()
        names = [line.split(",")[0].split(";")[0].strip() for line in lines]
        names = [n for n in names if n]
        if names and names[0].lower() in {"person", "name", "persons"}:
            names = names[1:]
        return names
    return _columns(text) or []


def _add_decision_columns(parser: argparse.ArgumentParser, decisions_in: Any = None) -> None:
    (decisions_in or parser).add_argument(
        "--decisions",
        metavar="FILE",
        help="long decisions file: one row per decision (case id, person, decision)",
    )
    parser.add_argument(
        "--case-column",
        default="case_id",
        help="case-id column of the decisions file (default case_id)",
    )
    parser.add_argument(
        "--person-column",
        default="person",
        help="person column of the decisions file (default person)",
    )
    parser.add_argument(
        "--decision-column",
        default="decision",
        help="decision column of the decisions file (default decision)",
    )
    parser.add_argument(
        "--ignore-unknown-decisions",
        action="store_true",
        help="leave out decisions for case ids not in DATA with a counted warning "
        "(default: an error naming them)",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="teaming",
        description="Build, evaluate and run human-AI teams from historical cases.",
        epilog="Exit codes: 0 ok, 1 internal error, 2 usage, 3 data error, 4 model directory "
        "error (not a team, incompatible version, changed or untrusted), 5 missing optional "
        "dependency.",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress messages on stderr")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    fit = sub.add_parser(
        "fit",
        help="fit a team and save it to a directory",
        description="Fit a team on historical cases and save it to --out.",
    )
    fit.add_argument("data", metavar="DATA", help="cases: CSV or Parquet file")
    fit.add_argument("--target", required=True, help="column with the ground truth")
    fit.add_argument(
        "--id", help="case-id column (matches the decisions file; default case_id if present)"
    )
    humans = fit.add_mutually_exclusive_group(required=True)
    humans.add_argument("--humans", metavar="COL,COL", help="wide decisions: one column per person")
    _add_decision_columns(fit, decisions_in=humans)
    fit.add_argument(
        "--scores",
        metavar="COL,COL",
        help="an existing model's class-score columns (the AI to calibrate)",
    )
    fit.add_argument(
        "--capacity",
        type=_share,
        default=0.3,
        help="share of cases people may take together (default 0.3)",
    )
    fit.add_argument(
        "--audit",
        type=_share,
        default=0.05,
        help="share of AI-decided cases still checked by a person (default 0.05)",
    )
    fit.add_argument(
        "--person-capacity",
        type=_person_capacity,
        help="limit per person and batch: below 1 a share (0.1 or 10%%), from 1 a whole count "
        "of cases (1, 50); or name=limit,...",
    )
    fit.add_argument(
        "--method",
        default="auto",
        help="routing method (default auto: the best on validation data)",
    )
    fit.add_argument(
        "--calibration",
        default="auto",
        choices=["auto", "none", "temperature", "vector", "sigmoid", "isotonic"],
    )
    fit.add_argument("--features", metavar="COL,COL", help="feature columns (default: the rest)")
    fit.add_argument("--text", metavar="COL,COL", help="free-text feature columns")
    fit.add_argument("--text-encoder", default="tfidf", choices=["tfidf", "sentence"])
    fit.add_argument("--cost", help="column with the cost of a wrong decision per case")
    fit.add_argument("--groups", metavar="COL,COL", help="group columns for fairness figures")
    fit.add_argument("--time", help="time column (splits keep later cases for validation)")
    fit.add_argument("--roles", metavar="PERSON=ROLE,...", help="roles for the model card")
    _add_unusual(fit)
    fit.add_argument(
        "--recent",
        type=_share,
        default=0.25,
        help="with --time: route new cases only to persons who decided a case in the latest "
        "share of the training period (default 0.25); name others with route --available",
    )
    fit.add_argument(
        "--card-persons",
        default="named",
        choices=["named", "pseudonymous", "aggregate"],
        help="how the model cards show the people in the team: by name (default), under "
        "pseudonyms, or only counted",
    )
    fit.add_argument(
        "--leaks",
        default="warn",
        choices=["warn", "drop"],
        help="a feature that alone predicts the target almost perfectly (probably known only "
        "after the decision): name it in a warning (default) or leave it out (drop)",
    )
    fit.add_argument(
        "--min-person-cases",
        type=int,
        default=MIN_PERSON_CASES,
        help="persons with fewer decided training cases (counted after --holdout) are left out "
        f"of routing and named in a warning (default {MIN_PERSON_CASES}; 0 keeps everyone, "
        "shrunk toward the pooled model)",
    )
    fit.add_argument(
        "--holdout",
        type=float,
        default=0.0,
        help="hold out this share of cases, evaluate on it and put the figures "
        "in the model card (default 0: fit on all cases)",
    )
    fit.add_argument("--random-state", type=int, default=0)
    fit.add_argument("--out", required=True, metavar="DIR", help="directory to save the team")
    _add_reading(fit)

    ev = sub.add_parser(
        "evaluate",
        help="evaluate a saved team on held-out cases",
        description="Evaluate a saved team on held-out cases with ground truth "
        "and recorded decisions.",
    )
    _add_model_and_data(ev)
    ev.add_argument("--json", action="store_true", help="print one JSON object")
    _add_evaluation_options(ev)

    route = sub.add_parser(
        "route",
        help="route new cases with a saved team",
        description="Route cases: the AI's decision or the person to ask, "
        "with explanations, as CSV or JSON lines.",
    )
    route.add_argument("model", metavar="DIR", help="directory of a saved team")
    route.add_argument("cases", metavar="CASES", help="cases to route: CSV or Parquet file")
    route.add_argument("--id", help="case-id column (default: the team's id column or row)")
    route.add_argument("--out", metavar="FILE", help="output file (default stdout)")
    route.add_argument(
        "--format",
        choices=["csv", "jsonl"],
        help="output format (default from --out's suffix, else csv)",
    )
    route.add_argument(
        "--stream",
        action="store_true",
        help="route case by case with the online rule instead of as one batch",
    )
    route.add_argument("--no-explain", action="store_true", help="leave out explanations")
    route.add_argument(
        "--available",
        metavar="NAMES|FILE",
        help="who can take cases: comma-separated names, a file with one name per line (an "
        "optional header 'person'), or 'all'; default: the persons with recent decisions. "
        "Names the team does not know are left out with a warning",
    )
    _add_unusual(route, default=None)
    _add_reading(route)

    report = sub.add_parser(
        "report",
        help="write an HTML report of an evaluation",
        description="Evaluate a saved team and write one self-contained HTML report.",
    )
    _add_model_and_data(report)
    report.add_argument("--out", required=True, metavar="FILE", help="HTML file to write")
    report.add_argument("--title", help="page title (default: by language)")
    report.add_argument(
        "--language", default="en", choices=["en", "de"], help="language of the report"
    )
    report.add_argument(
        "--persons",
        default="aggregate",
        choices=["aggregate", "pseudonymous", "named"],
        help="per-person figures only in aggregate (default), per person under pseudonyms, "
        "or per person by name",
    )
    _add_evaluation_options(report)
    return parser


def _add_model_and_data(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", metavar="DIR", help="directory of a saved team")
    parser.add_argument("data", metavar="DATA", help="held-out cases: CSV or Parquet file")
    parser.add_argument("--target", help="ground-truth column (default: as when fitted)")
    parser.add_argument("--id", help="case-id column (default: as when fitted)")
    parser.add_argument(
        "--humans",
        metavar="COL,COL",
        help="wide decision columns (default: the team's persons found in DATA)",
    )
    _add_decision_columns(parser)
    _add_reading(parser)


def _add_evaluation_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--bootstrap", type=int, default=200, help="bootstrap resamples for intervals (default 200)"
    )
    parser.add_argument("--capacity", type=_share, help="override the team's capacity")
    parser.add_argument("--n-jobs", type=int, help="local parallel jobs")
    parser.add_argument(
        "--cluster",
        metavar="tcp://HOST:8786",
        help="spread the evaluation loops over a Dask cluster",
    )


def _load_heldout(args: argparse.Namespace, team: Any) -> Any:
    from .data import load_data, read_table

    columns = team.columns_
    options = _read_options(args, team.read_options_)
    frame = read_table(args.data, **options)
    target = args.target or columns.get("target") or "target"
    id_column = args.id or columns.get("id")
    if args.decisions:
        humans = None
        if id_column is None and "case_id" in frame.columns:
            id_column = "case_id"
    else:
        humans = _columns(args.humans) or [p for p in team.persons_ if p in frame.columns]
    present = set(frame.columns)
    groups = [g for g in columns.get("groups", []) if g in present]
    time = columns.get("time") if columns.get("time") in present else None
    scores = team.score_columns_ or None
    cost = team.cost_column_ if team.cost_column_ in present else None
    features = [c for c in team.feature_types_ if c in present]
    return load_data(
        frame,
        target=target,
        id=id_column,
        features=features,
        text_features=[c for c, t in team.feature_types_.items() if t == "text" and c in present],
        text_encoder=team.text_encoder_,
        humans=humans or None,
        decisions=args.decisions,
        decision_columns=(args.case_column, args.person_column, args.decision_column),
        scores=scores,
        cost=cost,
        groups=groups,
        time=time,
        min_person_cases=0,
        read_options=options,
        unknown_decisions="warn" if args.ignore_unknown_decisions else "error",
    )


def _cmd_fit(args: argparse.Namespace) -> int:
    from .data import load_data, read_table, split_data
    from .team import HumanAITeam

    options = _read_options(args)
    frame = read_table(args.data, **options)
    id_column = args.id or ("case_id" if args.decisions and "case_id" in frame.columns else None)
    log.info("reading %s: %d rows, %d columns", args.data, len(frame), frame.shape[1])
    _log_reading(args.data, frame)
    data = load_data(
        frame,
        target=args.target,
        id=id_column,
        features=_columns(args.features),
        text_features=_columns(args.text) or (),
        text_encoder=args.text_encoder,
        humans=_columns(args.humans),
        decisions=args.decisions,
        decision_columns=(args.case_column, args.person_column, args.decision_column),
        scores=_columns(args.scores),
        cost=args.cost,
        groups=_columns(args.groups) or (),
        time=args.time,
        roles=_mapping(args.roles),
        read_options=options,
        unknown_decisions="warn" if args.ignore_unknown_decisions else "error",
    )
    team = HumanAITeam(
        method=args.method,
        capacity=args.capacity,
        audit=args.audit,
        person_capacity=args.person_capacity,
        calibration=args.calibration,
        random_state=args.random_state,
        min_person_cases=args.min_person_cases,
        unusual_cases=args.unusual_cases,
        recent=args.recent,
        leaks=args.leaks,
    )
    evaluation = None
    if args.holdout > 0:
        train, test = split_data(data, test_size=args.holdout, random_state=args.random_state)
        team.fit(train)
        log.info("evaluating on %d held-out cases", test.n_cases)
        evaluation = team.evaluate(test, n_bootstrap=HOLDOUT_BOOTSTRAP)
    else:
        team.fit(data)
    folder = team.save(args.out, evaluation=evaluation, persons=args.card_persons)
    log.info("saved the team (method %s) to %s", team.method_, folder)
    print(
        json.dumps(
            {
                "out": str(folder),
                "method": team.method_,
                "reason": team.selection_report_["reason"],
                "validation": team.training_metrics_,
            },
            default=str,
        )
    )
    return 0


def _log_reading(name: str, frame: Any) -> None:
    used = frame.attrs.get("read_options")
    if used:
        log.info(
            "read %s as %s, separator %r, decimal mark %r, thousands separator %r",
            name,
            used["encoding"],
            used["sep"],
            used["decimal"] or ".",
            used["thousands"] or "",
        )


def _evaluation(args: argparse.Namespace) -> tuple[Any, Any]:
    from .persist import load_team

    team = load_team(args.model)
    if args.capacity is not None:
        team.capacity = args.capacity
    data = _load_heldout(args, team)
    log.info("evaluating on %d cases", data.n_cases)
    evaluation = team.evaluate(
        data, n_bootstrap=args.bootstrap, n_jobs=args.n_jobs, cluster=args.cluster
    )
    return team, evaluation


def _cmd_evaluate(args: argparse.Namespace) -> int:
    _, evaluation = _evaluation(args)
    if args.json:
        print(json.dumps(evaluation.to_dict(), ensure_ascii=False))
    else:
        import pandas as pd

        with pd.option_context("display.width", 120, "display.max_columns", 10):
            print(evaluation.summary().to_string(index=False))
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from .report import write_report

    _, evaluation = _evaluation(args)
    path = write_report(
        evaluation, args.out, title=args.title, language=args.language, persons=args.persons
    )
    log.info("wrote %s", path)
    return 0


def _cmd_route(args: argparse.Namespace) -> int:
    from .data import DataError, read_table
    from .persist import load_team

    team = load_team(args.model)
    frame = read_table(args.cases, **_read_options(args, team.read_options_))
    id_column = args.id or team.columns_.get("id")
    if id_column and id_column in frame.columns:
        frame = frame.set_index(id_column, drop=False)
    elif args.id:
        raise DataError(f"id column {args.id!r} not found in {args.cases}", column=args.id)
    if args.unusual_cases:
        team.unusual_cases = args.unusual_cases
    available = _available(args.available, team)
    log.info("routing %d cases", len(frame))
    result = team.route(
        frame, batch=not args.stream, available=available, explain=not args.no_explain
    )
    _log_route_summary(team.route_summary(result))
    _log_availability(result, team, available)
    fmt = args.format or ("jsonl" if args.out and args.out.endswith((".jsonl", ".json")) else "csv")
    out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout  # noqa: SIM115
    try:
        if fmt == "jsonl":
            for record in result.to_dict("records"):
                out.write(json.dumps(_json_ready(record), ensure_ascii=False) + "\n")
        else:
            if "explanation_data" in result.columns:
                result["explanation_data"] = [
                    json.dumps(_json_ready(d), ensure_ascii=False)
                    for d in result["explanation_data"]
                ]
            result.to_csv(out, index=False)
    finally:
        if args.out:
            out.close()
    return 0


def _log_route_summary(summary: dict[str, Any]) -> None:
    """Who got the cases (stderr); a pile-up on one person as a warning with a limit."""
    people = ", ".join(
        f"{p} {v['deferred'] + v['audited']}"
        for p, v in summary["persons"].items()
        if v["deferred"] or v["audited"]
    )
    log.info(
        "routed %d cases: %d to people (%d deferred, %d audits)%s",
        summary["n_cases"],
        summary["n_deferred"] + summary["n_audited"],
        summary["n_deferred"],
        summary["n_audited"],
        f": {people}" if people else "",
    )
    if summary["concentrated"]:
        log.warning("%s", summary["message_en"])


def _log_availability(result: Any, team: Any, available: Any) -> None:
    """Who was left out by default, and how many cases were unlike the training data."""
    from .modelcard import readable_time

    if available is None:
        inactive = [p for p in team.persons_ if p not in team.person_activity_["active"]]
        if inactive:
            log.info(
                "not routed (no decision since %s; name them with --available): %s",
                readable_time(team.person_activity_["since"]),
                ", ".join(inactive),
            )
    n_unusual = int(result["unusual"].sum())
    if n_unusual:
        log.info(
            "%d of %d cases are unlike the training data (column unusual_reasons)",
            n_unusual,
            len(result),
        )


def _json_ready(value: Any) -> Any:
    import numpy as np

    if isinstance(value, dict):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def _show_warning(message: Any, category: Any, *args: Any, **kwargs: Any) -> None:
    print(f"teaming: warning: {message}", file=sys.stderr)


_COMMANDS = {"fit": _cmd_fit, "evaluate": _cmd_evaluate, "route": _cmd_route, "report": _cmd_report}


def main(argv: list[str] | None = None) -> int:
    """Run the ``teaming`` command line.

    Parameters
    ----------
    argv : list of str, optional
        Arguments (default ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit code (see the module docstring).

    Examples
    --------
    >>> main(["fit", "--help"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    SystemExit: 0
    """
    from .data import DataError, DataWarning
    from .methods import MethodNotAvailable
    from .persist import IncompatibleModelError, UntrustedContentError

    args = _parser().parse_args(argv)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("teaming: %(message)s"))
    log.handlers[:] = [handler]
    log.setLevel(logging.WARNING if args.quiet else logging.INFO)
    log.propagate = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always", DataWarning)
            warnings.showwarning = _show_warning
            return _COMMANDS[args.command](args)
    except DataError as exc:
        print(f"teaming: data error: {exc}", file=sys.stderr)
        return EXIT_CODES["data"]
    except (IncompatibleModelError, UntrustedContentError) as exc:
        print(f"teaming: model error: {exc}", file=sys.stderr)
        return EXIT_CODES["model"]
    except (MethodNotAvailable, ImportError) as exc:
        print(f"teaming: missing dependency: {exc}", file=sys.stderr)
        return EXIT_CODES["dependency"]
    except ValueError as exc:
        print(f"teaming: usage error: {exc}", file=sys.stderr)
        return EXIT_CODES["usage"]
    except Exception as exc:  # noqa: BLE001 - last resort: a message, not a traceback
        log.debug("internal error", exc_info=True)
        print(f"teaming: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_CODES["internal"]


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
