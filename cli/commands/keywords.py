"""``policytext keywords``: corpus keywords (TF-IDF or TextRank), per-document keywords, policy
phrases, and the keywords that set groups of inputs apart (keyness)."""

from __future__ import annotations

import re
from enum import Enum
from typing import Annotated, Any

import typer

from ..common import (
    BY_HELP,
    DEFAULT_ENGINE,
    BackendOpt,
    DebugOpt,
    EncodingOpt,
    EngineOpt,
    FormatOpt,
    JobsOpt,
    MaxSizeOpt,
    NoCacheOpt,
    NoPolicyDictOpt,
    NoSplitOpt,
    OutputOpt,
    PathsArg,
    QuietOpt,
    SchedulerOpt,
    StopwordsOpt,
    T2sOpt,
    UsageError,
    UserDictOpt,
    WithErrorsOpt,
    _read_option_file,
    extra_stopwords,
    finish,
    group_function,
    guarded,
    segmenter,
    settings_from,
)

app = typer.Typer()

_NGRAM_RE = re.compile(r"^\s*([1-3])\s*(?:-\s*([1-3])\s*)?$")


class Method(str, Enum):
    tfidf = "tfidf"
    textrank = "textrank"



@app.command(
    "keywords",
    epilog="Example: policytext keywords seeds/ --per-doc --top 10 --ngram 1-3 -f json",
)
def keywords_cmd(
    paths: PathsArg,
    method: Annotated[
        Method, typer.Option("--method", help="Scoring: tfidf or textrank.", case_sensitive=False)
    ] = Method.tfidf,
    top: Annotated[
        int, typer.Option("--top", help="Keywords per list (0: all).", min=0)
    ] = 20,
    per_doc: Annotated[
        bool, typer.Option("--per-doc", help="Also list each document's own keywords.")
    ] = False,
    ngram: Annotated[
        str,
        typer.Option(
            "--ngram",
            help="Term length in tokens, MIN-MAX within 1-3. 2 and 3 are cohesive phrases "
            "(high PMI, free on both sides), such as 优化营商环境; 1 keeps single words only.",
            metavar="MIN-MAX",
        ),
    ] = "1-3",
    pos: Annotated[
        str,
        typer.Option(
            "--pos",
            help="Keep single words with these POS tags (prefixes; comma-separated; 'all' keeps "
            "every tag). Policy-dictionary terms count as nouns.",
        ),
    ] = "n,nz,vn,v,an,j,l,i,eng",
    keep_formula_verbs: Annotated[
        bool,
        typer.Option("--keep-formula-verbs", help="Keep formula verbs (推进, 加强, 实现…)."),
    ] = False,
    idf: Annotated[
        str,
        typer.Option(
            "--idf",
            help="IDF for tfidf: 'corpus' (the inputs' own documents), 'builtin' (paragraphs of "
            "the national government work reports 1954-2015), a FILE from 'policytext idf "
            "build', or 'auto': the mean of corpus and builtin, so a keyword must stand out "
            "both within the inputs and against national policy prose.",
            metavar="FILE|auto|corpus|builtin",
        ),
    ] = "auto",
    by: Annotated[
        str | None,
        typer.Option("--by", help=BY_HELP + " Keyness: G2 and log-ratio.",
                     metavar="file|dir|year|FIELD", show_default=False),
    ] = None,
    stopwords: StopwordsOpt = None,
    user_dict: UserDictOpt = None,
    engine: EngineOpt = DEFAULT_ENGINE,
    jobs: JobsOpt = None,
    no_cache: NoCacheOpt = False,
    backend: BackendOpt = "local",
    scheduler: SchedulerOpt = None,
    no_policy_dict: NoPolicyDictOpt = False,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    encoding: EncodingOpt = None,
    t2s: T2sOpt = False,
    no_split: NoSplitOpt = False,
    max_size: MaxSizeOpt = 256,
    with_errors: WithErrorsOpt = False,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Keywords a researcher would keep: no numbers, dates, single characters, stopwords or
    formula verbs; policy terms and cohesive phrases (优化营商环境) whole, never next to their own
    fragments. Each keyword has its score, tf (count), df (documents) and the documents where it
    weighs most. --per-doc lists each document's keywords; --by compares groups of inputs.
    Inputs are read one document at a time; --per-doc JSON and JSONL are written document by
    document, so memory follows the vocabulary, not the size of the corpus."""
    settings = settings_from(
        paths,
        fmt=fmt,
        output=output,
        encoding=encoding,
        t2s=t2s,
        split=not no_split,
        user_dicts=user_dict,
        stopwords=stopwords,
        engine=engine,
        jobs=jobs,
        no_cache=no_cache,
        backend=backend,
        scheduler=scheduler,
        policy_dict=not no_policy_dict,
        max_mb=max_size,
        with_errors=with_errors,
        quiet=quiet,
        debug=debug,
    )
    with guarded(settings):
        min_n, max_n = parse_ngram(ngram)
        pos_tags = parse_pos(pos)
        idf_choice = _idf_choice(idf)
        extra = tuple(extra_stopwords(settings))
        seg = segmenter(settings)
        from policytext.analysis.keywords import KeywordOptions

        options = KeywordOptions(
            method=method.value,
            top=top,
            min_n=min_n,
            max_n=max_n,
            pos=pos_tags,
            keep_formula_verbs=keep_formula_verbs,
            extra_stopwords=extra,
            per_doc=per_doc,
        )
        from ..common import stdout_is_tty
        from ..render import choose_format

        fmt_name = choose_format(settings.fmt, settings.output, stdout_tty=stdout_is_tty())
        stream = _read_inputs(settings, seg, by)
        if per_doc and fmt_name in ("json", "jsonl"):
            _write_streaming(settings, stream, seg, options, idf_choice, by, fmt_name)
            return
        data = _analyse(stream, seg, options, idf_choice, by=by,
                        policy_dict=settings.policy_dict)
        finish(settings, keywords_output(data, per_doc=per_doc, by=by))


def parse_ngram(value: str) -> tuple[int, int]:
    m = _NGRAM_RE.match(value or "")
    if not m:
        raise UsageError(f"--ngram: {value!r} is not MIN-MAX with 1 <= MIN <= MAX <= 3 (e.g. 1-3)")
    lo = int(m.group(1))
    hi = int(m.group(2) or lo)
    if lo > hi:
        raise UsageError(f"--ngram: {value!r}: MIN is larger than MAX")
    return lo, hi


def parse_pos(value: str) -> tuple[str, ...] | None:
    parts = [p.strip() for p in (value or "").split(",") if p.strip()]
    if not parts:
        raise UsageError("--pos: give POS tags such as n,vn,nz, or 'all'")
    if any(p.lower() == "all" for p in parts):
        return None
    for p in parts:
        if not re.fullmatch(r"[A-Za-z]{1,4}", p):
            raise UsageError(f"--pos: {p[:20]!r} is not a POS tag (like n, nz, vn)")
    return tuple(sorted(set(parts)))


def _idf_choice(value: str):
    """'auto', 'corpus', 'builtin', or an IdfTable read from a file (read up front, so a bad
    file is a usage error before any work)."""
    v = (value or "").strip()
    if v.lower() in ("auto", "corpus", "builtin"):
        return v.lower()
    if not v:
        raise UsageError("--idf: give auto, corpus, builtin or a file")
    from policytext.analysis.idf import parse_idf
    from policytext.analysis.models import InputError

    text = _read_option_file(v, "--idf")
    try:
        return parse_idf(text, name=v)
    except InputError as exc:
        raise UsageError(f"--idf {exc}") from None


class _FileSpill:
    """Chunks of numpy arrays in an anonymous temporary file (gone when closed or at exit), read
    back once per pass: memory holds one chunk, not the corpus."""

    def __init__(self) -> None:
        import tempfile

        self._fh = tempfile.TemporaryFile(prefix="policytext-keywords-")
        self._n = 0
        self._end = 0

    def append(self, arrays: tuple) -> None:
        import numpy as np

        self._fh.seek(self._end)
        for a in arrays:
            np.save(self._fh, np.ascontiguousarray(a), allow_pickle=False)
        self._end = self._fh.tell()
        self._n += 1
        self._k = len(arrays)

    def chunks(self):
        import numpy as np

        pos = 0
        for _ in range(self._n):
            self._fh.seek(pos)
            chunk = tuple(np.load(self._fh, allow_pickle=False) for _ in range(self._k))
            pos = self._fh.tell()
            yield chunk

    def close(self) -> None:
        self._fh.close()


def _read_inputs(settings, seg, by: str | None):
    """Read and segment the inputs one document at a time (cache and --jobs as every command)
    into a :class:`TokenStream`; failed inputs are reported and remembered for the exit code."""
    from policytext.analysis.keywords import TokenStream

    from ..common import accept, stream_inputs
    from ..corpus import iter_tokenized_corpus

    read = stream_inputs(settings)
    group_of = group_function(by) if by is not None else None
    stream = TokenStream(spill=_FileSpill())
    for result in iter_tokenized_corpus(settings.paths, seg, pos=True, **read):
        if accept(settings, result):
            stream.add(result[3], group_of(result[1]) if group_of is not None else None)
    return stream


def _write_streaming(settings, stream, seg, options, idf_choice, by: str | None,
                     fmt: str) -> None:
    """--per-doc as JSON or JSONL: each document's keywords are rendered as they are found
    (into a temporary file, since the corpus keywords come first in the output), so the
    per-document lists are never all held in memory. Same bytes as :func:`finish`."""
    import json
    import tempfile

    from ..common import exit_for_failures
    from ..render import Sink, _dump

    docs = tempfile.TemporaryFile("w+", encoding="utf-8", newline="",
                                  prefix="policytext-keywords-")
    count = 0

    def on_document(d) -> None:
        nonlocal count
        if fmt == "json":
            docs.write(("[\n" if count == 0 else ",\n") + "    " + _document_json(d))
        else:
            for rec in _document_records(_document_dict(d)):
                docs.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":"),
                                      allow_nan=False) + "\n")
        count += 1

    try:
        data = _analyse(stream, seg, options, idf_choice, by=by,
                        policy_dict=settings.policy_dict, on_document=on_document)
        with Sink(settings.output, settings.paths) as out:
            if fmt == "json":
                out.write('{\n  "keywords": ' + _dump(data["keywords"], 1))
                out.write(',\n  "documents": ')
                if count:
                    _copy(docs, out)
                    out.write("\n  ]")
                else:
                    out.write("[]")
                if by:
                    out.write(',\n  "groups": ' + _dump(data["groups"], 1))
                if settings.with_errors:
                    out.write(',\n  "errors": ' + _dump(list(settings.failures), 1))
                out.write("\n}\n")
            else:
                corpus_only = {k: v for k, v in data.items() if k != "groups"}
                head = keywords_output(corpus_only, per_doc=False, by=None).records
                for rec in head:
                    out.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":"),
                                         allow_nan=False) + "\n")
                _copy(docs, out)
                if by:
                    tail = keywords_output({"keywords": [], "groups": data["groups"]},
                                           per_doc=False, by=by).records
                    for rec in tail:
                        out.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":"),
                                             allow_nan=False) + "\n")
    finally:
        docs.close()
    exit_for_failures(settings)


def _copy(src, out) -> None:
    src.seek(0)
    while True:
        block = src.read(1 << 20)
        if not block:
            break
        out.write(block)


def _analyse(stream, seg, options, idf_choice="auto", *, by: str | None = None,
             policy_dict: bool = True, on_document=None) -> dict[str, Any]:
    """Terms, scores and the JSON dict (see :func:`keywords_output`) of a TokenStream; with
    ``on_document``, each document's keywords go there instead of into the dict."""
    from policytext.analysis.idf import IdfTable, builtin_idf
    from policytext.analysis.keywords import stream_keywords, stream_terms
    from policytext.analysis.segment import policy_dictionary

    terms = [e.word for e in policy_dictionary()] if policy_dict else []
    terms += [e.word for e in seg.user_entries]
    spill = _FileSpill()
    try:
        ts = stream_terms(stream, options=options, policy_terms=terms, spill=spill)
        stream.spill.close()
        background: IdfTable | None
        blend = idf_choice == "auto"
        if isinstance(idf_choice, IdfTable):
            background = idf_choice
        elif idf_choice in ("builtin", "auto"):
            background = builtin_idf()
        else:
            background = None
        result = stream_keywords(ts, options=options, background=background, blend=blend,
                                 on_document=on_document)
    finally:
        spill.close()
        stream.spill.close()
    return result_dict(result, per_doc=options.per_doc and on_document is None, by=by)


def run(documents, seg, options, idf_choice="auto", *, by: str | None = None,
        policy_dict: bool = True) -> dict[str, Any]:
    """Tokenize ``documents`` one at a time, extract and return the JSON dict (see
    :func:`keywords_output`)."""
    from policytext.analysis.keywords import TokenStream

    from ..corpus import iter_tokenize

    group_of = group_function(by) if by is not None else None
    stream = TokenStream(spill=_FileSpill())
    for doc, tokenized in zip(documents, iter_tokenize(documents, seg, pos=True), strict=True):
        stream.add(tokenized, group_of(doc) if group_of is not None else None)
    return _analyse(stream, seg, options, idf_choice, by=by, policy_dict=policy_dict)


def result_dict(result, *, per_doc: bool, by: str | None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "keywords": [
            {
                "term": k.term,
                "score": k.score,
                "tf": k.tf,
                "df": k.df,
                "top_docs": [{"doc": d.doc, "source": d.source, "weight": d.weight}
                             for d in k.top_docs],
            }
            for k in result.keywords
        ]
    }
    if per_doc:
        data["documents"] = [_document_dict(d) for d in result.documents]
    if by:
        data["groups"] = [
            {
                "group": g.group,
                "docs": g.docs,
                "keywords": [
                    {"term": k.term, "g2": k.g2, "log_ratio": k.log_ratio, "count": k.count,
                     "rest_count": k.rest_count}
                    for k in g.keywords
                ],
            }
            for g in result.groups
        ]
    return data


_KEYWORD_JSON = ('        {{\n          "term": {},\n          "score": {},\n          "tf": {}\n'
                 '        }}')


def _document_json(d) -> str:
    """``render._dump(_document_dict(d), 2)`` (a document's entry in the JSON list) written out
    directly: the same bytes, without walking a dict per keyword. Keywords of the usual types
    (str, finite float, int: what stream_keywords makes) are formatted by C-level maps; any
    other value goes through :func:`_scalar`."""
    import math
    from json.encoder import encode_basestring
    from operator import attrgetter

    head = (f'{{\n      "doc": {_scalar(d.doc)},\n      "source": {_scalar(d.source)},\n'
            f'      "title": {_scalar(d.title)},\n      "keywords": ')
    kws = d.keywords
    if not kws:
        return head + "[]\n    }"
    terms = list(map(attrgetter("term"), kws))
    scores = list(map(attrgetter("score"), kws))
    tfs = list(map(attrgetter("tf"), kws))
    if (set(map(type, terms)) == {str} and set(map(type, scores)) == {float}
            and set(map(type, tfs)) == {int} and all(map(math.isfinite, scores))):
        items = map(_KEYWORD_JSON.format, map(encode_basestring, terms),
                    map(float.__repr__, scores), map(int.__repr__, tfs))
    else:
        items = map(_KEYWORD_JSON.format, map(_scalar, terms), map(_scalar, scores),
                    map(_scalar, tfs))
    return head + "[\n" + ",\n".join(items) + "\n      ]\n    }"


def _scalar(x) -> str:
    """``json.dumps(x, ensure_ascii=False, allow_nan=False)`` of a scalar, the common types
    without building an encoder each time."""
    import json
    from json.encoder import encode_basestring

    if type(x) is str:
        return encode_basestring(x)
    if type(x) is int:
        return int.__repr__(x)
    if type(x) is float and x - x == 0.0:  # finite
        return float.__repr__(x)
    return json.dumps(x, ensure_ascii=False, allow_nan=False)


def _document_dict(d) -> dict[str, Any]:
    return {
        "doc": d.doc,
        "source": d.source,
        "title": d.title,
        "keywords": [{"term": k.term, "score": k.score, "tf": k.tf} for k in d.keywords],
    }


def report_data(corpus, seg) -> dict[str, Any]:
    """The keywords JSON dict for the HTML report: default options, per-document keywords on."""
    from policytext.analysis.keywords import KeywordOptions

    return run(corpus.documents, seg, KeywordOptions(per_doc=True), "auto",
               policy_dict=getattr(seg, "policy_dict", True))


CSV_COLUMNS = ["list", "group", "doc", "source", "title", "rank", "term", "score", "tf", "df",
               "g2", "log_ratio", "count", "rest_count", "top_docs"]


def _document_records(d: dict[str, Any]) -> list[dict[str, Any]]:
    return [{c: kw.get(c) for c in CSV_COLUMNS} for kw in (
        {"list": "document", "doc": d["doc"], "source": d["source"], "title": d["title"],
         "rank": i, "term": k["term"], "score": k["score"], "tf": k["tf"]}
        for i, k in enumerate(d["keywords"], start=1))]


def keywords_output(data: dict[str, Any], *, per_doc: bool, by: str | None):
    """JSON: ``{"keywords": [{"term", "score", "tf", "df", "top_docs": [{"doc", "source",
    "weight"}]}], "documents": [{"doc", "source", "title", "keywords": [{"term", "score",
    "tf"}]}] (under --per-doc), "groups": [{"group", "docs", "keywords": [{"term", "g2",
    "log_ratio", "count", "rest_count"}]}] (under --by)}``. JSONL and CSV: one record per
    keyword row, ``list`` saying which list (corpus, document, group) it belongs to."""
    from ..render import Column, Output, Table

    records: list[dict[str, Any]] = []

    def rec(**kw: Any) -> dict[str, Any]:
        return {c: kw.get(c) for c in CSV_COLUMNS}

    for i, k in enumerate(data["keywords"], start=1):
        records.append(rec(list="corpus", rank=i, term=k["term"], score=k["score"], tf=k["tf"],
                           df=k["df"], top_docs=[d["doc"] for d in k["top_docs"]]))
    for d in data.get("documents", []):
        records.extend(_document_records(d))
    for g in data.get("groups", []):
        for i, k in enumerate(g["keywords"], start=1):
            records.append(rec(list="group", group=g["group"], rank=i, term=k["term"], g2=k["g2"],
                               log_ratio=k["log_ratio"], count=k["count"],
                               rest_count=k["rest_count"]))
    rows = [
        {**k, "rank": i,
         "top_docs": ", ".join(f"{d['doc']} ({d['weight']})" for d in k["top_docs"])}
        for i, k in enumerate(data["keywords"], start=1)
    ]
    tables = [
        Table(
            title=f"{len(rows)} keywords",
            columns=[
                Column("#", "rank", justify="right"),
                Column("term", "term", max_width=24),
                Column("score", "score", justify="right"),
                Column("tf", "tf", justify="right"),
                Column("df", "df", justify="right"),
                Column("weighs most in", "top_docs", max_width=60),
            ],
            rows=rows,
        )
    ]
    if per_doc:
        tables.append(
            Table(
                title="keywords per document",
                columns=[
                    Column("doc", "doc", max_width=30),
                    Column("title", "title", max_width=30),
                    Column("keywords", "keywords", max_width=80),
                ],
                rows=[
                    {"doc": d["doc"], "title": d["title"],
                     "keywords": " ".join(k["term"] for k in d["keywords"])}
                    for d in data.get("documents", [])
                ],
            )
        )
    if by:
        tables.append(
            Table(
                title=f"keywords by {by} (G2 >= 3.84; log-ratio = log2 of relative frequencies)",
                columns=[
                    Column("group", "group", max_width=40),
                    Column("docs", "docs", justify="right"),
                    Column("keywords (log-ratio)", "keywords", max_width=80),
                ],
                rows=[
                    {"group": g["group"], "docs": g["docs"],
                     "keywords": " ".join(f"{k['term']}({k['log_ratio']})" for k in g["keywords"])}
                    for g in data.get("groups", [])
                ],
            )
        )
    return Output(data=data, records=records, tables=tables, csv_columns=CSV_COLUMNS)
