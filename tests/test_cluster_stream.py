"""policytext cluster with bounded memory: the streamed command writes the same bytes as before,
and the paths that only large inputs take (choosing k on a sample, capping the vocabulary) are
deterministic and independent of input order."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest
from policytext.analysis.cluster import (
    ClusterParams,
    Unit,
    UnitBags,
    _sweep_sample,
    cluster_bags,
    cluster_units,
    content_tokens,
)
from policytext.analysis.segment import TokenFilter
from policytext.analysis.themes import builtin_codebook
from policytext.cli.app import app
from typer.testing import CliRunner

from .conftest import SEEDS

REF = Path(__file__).parent / "data" / "cluster_ref"
PLAN = SEEDS / "002_083cf205d14e5406.txt"
runner = CliRunner()

CASES = {
    "seeds_auto.json": [],
    "seeds_k5.json": ["--k", "5"],
    "seeds_para_auto.json": ["--unit", "paragraph"],
    "seeds_para_k8.json": ["--unit", "paragraph", "--k", "8"],
}


def _cli(args: list[str], out: Path) -> bytes:
    r = runner.invoke(app, ["cluster", *args, "-f", "json", "-q", "-o", str(out)])
    assert r.exit_code == 0, r.output
    return out.read_bytes()


@pytest.mark.parametrize("name", sorted(CASES))
def test_streamed_output_is_byte_identical_to_the_saved_reference(name, tmp_path,
                                                                   monkeypatch) -> None:
    """References written by the command before it streamed (tests/data/cluster_ref), run
    as ``policytext cluster seeds/`` from the repository root (sources are relative)."""
    monkeypatch.chdir(SEEDS.parent)
    assert _cli(["seeds/", *CASES[name]], tmp_path / "out.json") == (REF / name).read_bytes()


@pytest.mark.parametrize("jobs", [["--jobs", "1"], ["--jobs", "2", "--no-cache"]])
def test_paragraphs_segmented_in_many_small_batches_give_the_same_bytes(jobs, tmp_path,
                                                                         monkeypatch) -> None:
    """Paragraph mode segments a few documents at a time (in worker processes with --jobs 2);
    batches of one or two documents change nothing."""
    import policytext.cli.corpus as corpus

    monkeypatch.setattr(corpus, "CHUNK_DOCS", 1)
    monkeypatch.chdir(SEEDS.parent)
    got = _cli(["seeds/", "--unit", "paragraph", "--k", "8", *jobs], tmp_path / "out.json")
    assert got == (REF / "seeds_para_k8.json").read_bytes()


def test_a_failed_input_is_reported_and_the_rest_clustered(tmp_path) -> None:
    alone = json.loads(_cli([str(PLAN), "--k", "4"], tmp_path / "a.json"))
    for unit in ("article", "paragraph"):
        args = [str(PLAN), str(tmp_path / "missing.txt"), "--k", "4", "--unit", unit]
        r = runner.invoke(app, ["cluster", *args, "-f", "json", "-q", "--with-errors"])
        assert r.exit_code == 1, r.output
        data = json.loads(r.stdout)
        assert len(data["errors"]) == 1 and "missing.txt" in data["errors"][0]
        assert "missing.txt" in r.stderr
        if unit == "article":
            assert {k: v for k, v in data.items() if k != "errors"} == alone
        else:
            assert data["documents"] and all("/p" in d["doc"] for d in data["documents"])
    r = runner.invoke(app, ["cluster", str(tmp_path / "missing.txt"), "-f", "json", "-q"])
    assert r.exit_code == 3


# ---------------------------------------------------------------------------------------------
# The large-input paths, on synthetic units
# ---------------------------------------------------------------------------------------------
TOPICS = [
    ["安全生产", "隐患排查", "应急救援", "消防安全", "危化品", "防灾减灾", "事故隐患", "执法检查"],
    ["提振消费", "以旧换新", "有效投资", "重大项目", "专项债券", "扩大内需", "消费场景", "商圈"],
    ["乡村振兴", "高标准农田", "粮食生产", "农民收入", "村集体", "现代农业", "人居环境", "合作社"],
    ["科技创新", "研发投入", "高新技术", "创新平台", "成果转化", "人才引进", "数字经济", "实验室"],
]
FILLER = [f"词语{chr(0x4E00 + i)}{chr(0x4E80 + i)}" for i in range(300)]


def _synthetic(n: int, seed: int = 1) -> list[Unit]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        topic = TOPICS[i % len(TOPICS)]
        words = [rng.choice(topic) for _ in range(rng.randint(6, 14))]
        words += [rng.choice(FILLER) for _ in range(rng.randint(2, 8))]
        rng.shuffle(words)
        text = "，".join(words) + "。"
        out.append(Unit(f"u{i:05d}", "synthetic", "", 0, len(text), text, tuple(words), None))
    return out


LARGE = dict(k_range=(2, 6), sweep_sample=600, minibatch_above=500, silhouette_sample=300,
             max_terms=40, n_init=3)


@pytest.fixture(scope="module")
def large_units() -> list[Unit]:
    return _synthetic(1500)


def test_sweep_sample_is_fixed_sorted_and_only_above_the_threshold() -> None:
    p = ClusterParams(sweep_sample=100, seed=3)
    assert _sweep_sample(100, p) is None  # at the threshold: every unit
    a = _sweep_sample(1000, p)
    assert a is not None and len(a) == 100 == len(set(a.tolist()))
    assert (np.diff(a) > 0).all() and a.max() < 1000
    assert np.array_equal(a, _sweep_sample(1000, p))
    assert not np.array_equal(a, _sweep_sample(1000, ClusterParams(sweep_sample=100, seed=4)))
    assert _sweep_sample(10**6, ClusterParams(sweep_sample=0)) is None


def test_large_path_is_deterministic_and_order_independent(large_units) -> None:
    cb = builtin_codebook()
    params = ClusterParams(**LARGE)
    first = cluster_units(large_units, cb, params)
    again = cluster_units(large_units, cb, params)
    shuffled = list(large_units)
    random.Random(5).shuffle(shuffled)
    other = cluster_units(shuffled, cb, params)
    assert first == again == other
    # k was chosen on the sample: the sweep ran, and the four topics were found
    assert [s["k"] for s in first.selection] == list(range(2, 7))
    assert first.k == 4 and first.stability is not None
    groups: dict[int, set[int]] = {}
    for r in first.units:
        groups.setdefault(r.cluster, set()).add(int(r.unit.doc[1:]) % 4)
    assert sorted(len(g) for g in groups.values()) == [1, 1, 1, 1]
    # fixed k above the threshold: stability measured on the sample, still reproducible
    fixed = ClusterParams(**{**LARGE, "k": 4})
    assert cluster_units(large_units, cb, fixed) == cluster_units(shuffled, cb, fixed)


def test_vocabulary_cap_keeps_the_most_frequent_terms(large_units) -> None:
    cb = builtin_codebook()
    filt = TokenFilter()
    counts: dict[str, int] = {}
    for u in large_units:
        for w in content_tokens(u, filt):
            counts[w] = counts.get(w, 0) + 1
    for cap in (5, 12):
        res = cluster_units(large_units, cb, ClusterParams(**{**LARGE, "k": 4, "max_terms": cap}))
        # every term a cluster lists is one of the ``cap`` most frequent (ties alphabetical)
        top = sorted(counts, key=lambda w: (-counts[w], w))[:cap]
        listed = {t for c in res.clusters for t in c.terms}
        assert listed and listed <= set(top)
    # without the cap (the default is far above this vocabulary) filler terms can be listed
    res = cluster_units(large_units, cb, ClusterParams(**{**LARGE, "k": 4, "max_terms": 0}))
    assert len({t for c in res.clusters for t in c.terms}) > 12


def test_bags_keep_no_text_and_cluster_like_units(large_units) -> None:
    cb = builtin_codebook()
    params = ClusterParams(k=4, seed=2)
    units = large_units[:300]
    bags = UnitBags(cb, params)
    for u in reversed(units):
        bags.add(u)
    assert all(u.text == "" and u.tokens == () for u in bags.units)
    assert len(bags.ids) == len(bags.counts) == sum(len(set(u.tokens)) for u in units)
    streamed = cluster_bags(bags, cb, params)
    direct = cluster_units(units, cb, params)
    assert streamed.k == direct.k and streamed.clusters == direct.clusters
    assert [(r.unit.doc, r.cluster, r.similarity, r.x, r.y) for r in streamed.units] == [
        (r.unit.doc, r.cluster, r.similarity, r.x, r.y) for r in direct.units]
