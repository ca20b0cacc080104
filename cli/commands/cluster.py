"""``policytext cluster``: group articles (or paragraphs) that talk about the same thing, name
each group and give it a theme from the codebook."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any

import typer

from ..common import (
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
    extra_stopwords,
    finish,
    guarded,
    segmenter,
    settings_from,
)

app = typer.Typer()


class UnitKind(str, Enum):
    article = "article"
    paragraph = "paragraph"


UnitOpt = Annotated[
    UnitKind,
    typer.Option(
        "--unit",
        help="What to cluster: articles, or the paragraphs of each article (a plan's tasks). "
        "Paragraphs under 30 characters (headings) join the paragraph after them.",
        case_sensitive=False,
    ),
]
ThemesOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--themes",
        help='A codebook file (TOML, like the built-in one: policytext themes --list) that '
        'extends the built-in themes, or replaces them if it says mode = "replace". Repeatable.',
        metavar="FILE",
        show_default=False,
    ),
]


@app.command(
    "cluster",
    epilog="Example: policytext cluster seeds/002_083cf205d14e5406.txt --unit paragraph "
    "--format json | jq '.clusters[] | {id, name, size}'",
)
def cluster_cmd(
    paths: PathsArg,
    k: Annotated[
        str,
        typer.Option(
            "--k",
            help="Number of clusters, or auto: the k in --k-min..--k-max with the best "
            "silhouette (cosine) x (1 + stability across seeds) / 2.",
        ),
    ] = "auto",
    k_min: Annotated[int, typer.Option("--k-min", help="Smallest k tried by --k auto.", min=2)] = 2,
    k_max: Annotated[int, typer.Option("--k-max", help="Largest k tried by --k auto.", min=2)] = 16,
    seed: Annotated[int, typer.Option("--seed", help="Random seed of k-means.", min=0)] = 0,
    unit: UnitOpt = UnitKind.article,
    themes: ThemesOpt = None,
    top_terms: Annotated[
        int, typer.Option("--terms", help="Distinctive terms listed per cluster.", min=1)
    ] = 10,
    examples: Annotated[
        int, typer.Option("--examples", help="Representative documents per cluster.", min=0)
    ] = 3,
    user_dict: UserDictOpt = None,
    stopwords: StopwordsOpt = None,
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
    """Cluster articles (or, with --unit paragraph, paragraphs) by what they are about.
    Vectors are TF-IDF over content tokens with codebook terms weighted up, plus the theme
    evidence of each text; k-means with a fixed seed. The same inputs in any order give the
    same clusters with the same ids. Each cluster has its distinctive terms, representative
    documents, best theme and cohesion; each document its cluster, theme, similarity to the
    cluster centre and an outlier flag; the table also shows the score of every k tried and
    the stability (ARI) of the partition across seeds. Inputs are read and segmented one
    document at a time and only term ids are kept, so memory follows the number of articles
    (or paragraphs), not the size of the texts; above 50,000 of them, k is chosen on a fixed
    sample of 50,000."""
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
        k_value = _parse_k(k)
        if k_min > k_max:
            raise UsageError(f"--k-min {k_min} is larger than --k-max {k_max}")
        from policytext.analysis.cluster import ClusterParams, cluster_bags

        codebook = load_codebook(themes or [], settings)
        params = ClusterParams(
            k=k_value,
            k_range=(k_min, k_max),
            seed=seed,
            top_terms=top_terms,
            examples=examples,
            extra_stopwords=tuple(extra_stopwords(settings)),
        )
        seg = segmenter(settings)
        bags = stream_bags(settings, seg, unit.value, codebook, params)
        result = cluster_bags(bags, codebook, params)
        del bags
        finish(settings, cluster_output(result))


def _parse_k(value: str) -> int | None:
    v = value.strip().lower()
    if v == "auto":
        return None
    try:
        k = int(v)
    except ValueError:
        raise UsageError(f"--k: expected a whole number or auto, not {value!r}") from None
    if k < 1:
        raise UsageError(f"--k: must be at least 1, not {k}")
    return k


def load_codebook(files: list[str], settings):
    """The built-in codebook, extended or replaced by ``--themes`` files (errors: exit 2)."""
    from policytext.analysis.themes import CodebookError, builtin_codebook

    from ..common import _read_option_file

    extra = [(_read_option_file(path, "--themes"), path) for path in files]
    try:
        return builtin_codebook(extra)
    except CodebookError as exc:
        raise UsageError(f"--themes: {exc}") from None


def build_units(documents, seg, unit: str = "article") -> list:
    """Articles or paragraphs of ``documents`` as :class:`~policytext.analysis.cluster.Unit`,
    tokenised (with POS) through :func:`policytext.cli.corpus.tokenize`."""
    from policytext.analysis.cluster import Unit, paragraph_documents

    from ..corpus import tokenize

    titles: dict[str, str] = {}
    if unit == "paragraph":
        documents, titles = paragraph_documents(documents)
    out = []
    for ta in tokenize(documents, seg, pos=True):
        a = ta.article
        out.append(
            Unit(
                doc=a.doc,
                source=a.source,
                title=titles.get(a.doc, a.title),
                start=a.start,
                end=a.end,
                text=a.text,
                tokens=ta.tokens,
                pos=ta.pos,
            )
        )
    return out


def stream_bags(settings, seg, unit: str, codebook, params):
    """Read, segment and reduce the inputs one document at a time to
    :class:`~policytext.analysis.cluster.UnitBags` (metadata, term ids and counts, theme
    evidence): no document, text or token list outlives its own step, so memory follows the
    number of units, not the size of the corpus. Failed inputs are reported as ``load`` does
    (stderr, ``settings.failures`` for the exit code). Same units, tokens and cache as
    :func:`build_units` on the loaded corpus."""
    from dataclasses import replace

    from policytext.analysis.cluster import UnitBags, paragraph_documents

    from ..common import accept, stream_inputs
    from ..corpus import iter_corpus, iter_tokenize, iter_tokenized_corpus

    read = stream_inputs(settings)
    run = read["run"]
    bags = UnitBags(codebook, params)

    if unit == "paragraph":
        # Paragraphs are segmented as documents of their own (their tokens and cache entries
        # are those of build_units); iter_tokenize takes them a chunk at a time.
        titles: dict[str, str] = {}
        tok_run = replace(run, progress=False)  # the reading bar shows the progress

        def paragraphs():
            for result in iter_corpus(settings.paths, **read):
                if accept(settings, result):
                    docs, more = paragraph_documents([result[1]])
                    titles.update(more)
                    yield docs[0]

        for tokenized in iter_tokenize(paragraphs(), seg, pos=True, run=tok_run):
            for ta in tokenized:
                _add(bags, ta, titles.pop(ta.article.doc, ta.article.title))
    else:
        for result in iter_tokenized_corpus(settings.paths, seg, pos=True, **read):
            if accept(settings, result):
                for ta in result[3]:
                    _add(bags, ta, ta.article.title)
    return bags


def _add(bags, ta, title: str) -> None:
    from policytext.analysis.cluster import Unit

    a = ta.article
    bags.add(Unit(doc=a.doc, source=a.source, title=title, start=a.start, end=a.end,
                  text=a.text, tokens=ta.tokens, pos=ta.pos))


def report_data(corpus, seg) -> dict:
    """The ``cluster`` JSON for ``corpus`` with the default options (the HTML report uses it)."""
    from policytext.analysis.cluster import ClusterParams, cluster_units
    from policytext.analysis.themes import builtin_codebook

    units = build_units(corpus.documents, seg, "article")
    return cluster_output(cluster_units(units, builtin_codebook(), ClusterParams())).data


def _theme(t) -> dict | None:
    return t.as_dict() if t is not None else None


def cluster_output(result):
    """``{"k", "selection", "stability", "clusters", "documents"}``.

    ``selection`` lists every k tried by ``--k auto`` as ``{"k", "score", "silhouette",
    "stability"}`` (empty when k was given). A cluster is ``{"id", "name", "size", "theme":
    {"id", "name", "score"}, "terms", "examples", "cohesion", "docs"}``; a document is
    ``{"doc", "source", "title", "start", "end", "cluster", "theme", "similarity", "outlier",
    "x", "y"}`` where ``start``/``end`` are its offsets in the cleaned source and ``x``/``y``
    its place on a 2-D map of the vectors. A document with no content tokens has ``cluster``
    and ``similarity`` null and ``outlier`` true. JSONL and CSV give one record per document."""
    from ..render import Column, Output, Table

    names = {c.id: c.name for c in result.clusters}
    clusters = [
        {
            "id": c.id,
            "name": c.name,
            "size": c.size,
            "theme": _theme(c.theme),
            "terms": list(c.terms),
            "examples": list(c.examples),
            "cohesion": c.cohesion,
            "docs": list(c.docs),
        }
        for c in result.clusters
    ]
    documents = []
    records = []
    for r in result.units:
        u = r.unit
        documents.append(
            {
                "doc": u.doc,
                "source": u.source,
                "title": u.title,
                "start": u.start,
                "end": u.end,
                "cluster": r.cluster,
                "theme": _theme(r.theme),
                "similarity": r.similarity,
                "outlier": r.outlier,
                "x": r.x,
                "y": r.y,
            }
        )
        records.append(
            {
                "doc": u.doc,
                "source": u.source,
                "title": u.title,
                "start": u.start,
                "end": u.end,
                "cluster": r.cluster,
                "cluster_name": names.get(r.cluster) if r.cluster is not None else None,
                "theme": r.theme.id,
                "theme_name": r.theme.name,
                "theme_score": r.theme.score if r.theme.id else None,
                "similarity": r.similarity,
                "outlier": r.outlier,
                "x": r.x,
                "y": r.y,
            }
        )
    data: dict[str, Any] = {
        "k": result.k,
        "selection": list(result.selection),
        "stability": result.stability,
        "clusters": clusters,
        "documents": documents,
    }
    caption = f"k = {result.k}"
    if result.stability is not None:
        caption += f"; stability (mean ARI across seeds) = {result.stability}"
    cluster_rows = [
        {
            **c,
            "theme_label": f"{c['theme']['name']} ({c['theme']['score']})" if c["theme"] else "",
        }
        for c in clusters
    ]
    tables = [
        Table(
            title=f"{len(clusters)} clusters of {len(documents)} documents",
            columns=[
                Column("id", "id", justify="right"),
                Column("size", "size", justify="right"),
                Column("theme", "theme_label", max_width=24),
                Column("cohesion", "cohesion", justify="right"),
                Column("terms", "terms", max_width=40),
                Column("examples", "examples", max_width=40),
            ],
            rows=cluster_rows,
            caption=caption,
        )
    ]
    if result.selection:
        tables.append(
            Table(
                title="choosing k",
                columns=[
                    Column("k", "k", justify="right"),
                    Column("score", "score", justify="right"),
                    Column("silhouette", "silhouette", justify="right"),
                    Column("stability", "stability", justify="right"),
                ],
                rows=result.selection,
                caption=f"chosen: k = {result.k}",
            )
        )
    tables.append(
        Table(
            title="documents",
            columns=[
                Column("doc", "doc", max_width=36),
                Column("title", "title", max_width=36),
                Column("cluster", "cluster", justify="right"),
                Column("theme", "theme_name", max_width=20),
                Column("similarity", "similarity", justify="right"),
                Column("outlier", "outlier"),
            ],
            rows=records,
        )
    )
    return Output(
        data=data,
        records=records,
        tables=tables,
        csv_columns=[
            "doc",
            "source",
            "title",
            "start",
            "end",
            "cluster",
            "cluster_name",
            "theme",
            "theme_name",
            "theme_score",
            "similarity",
            "outlier",
            "x",
            "y",
        ],
    )
