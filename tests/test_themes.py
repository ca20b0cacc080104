"""The theme codebook and classifier mode (policytext themes)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from policytext.analysis.themes import (
    CodebookError,
    assign_themes,
    builtin_codebook,
    parse_codebook,
)
from policytext.cli.app import app
from typer.testing import CliRunner

from .conftest import SEEDS

GOLD = Path(__file__).parent / "data" / "cluster_gold.json"
REQUIRED = {
    "industry": "产业发展",
    "livelihood": "民生保障",
    "business-environment": "营商环境",
    "innovation": "科技创新",
    "reform-opening": "改革开放",
    "rural": "乡村振兴",
    "ecology": "生态环保",
    "security": "安全发展",
    "demand": "扩大内需",
    "regional": "区域协调",
    "party-building": "党的建设",
    "governance": "社会治理",
}
runner = CliRunner()


def test_builtin_codebook_has_the_required_themes() -> None:
    cb = builtin_codebook()
    names = {t.id: t.name for t in cb.themes}
    for tid, name in REQUIRED.items():
        assert tid in names, tid
        assert names[tid].startswith(name), (tid, names[tid])
    assert len(set(cb.ids)) == len(cb.ids)
    for t in cb.themes:
        assert len(t.terms) >= 20, t.id
        assert len(set(t.terms)) == len(t.terms), t.id


def test_longest_term_wins_and_shared_terms_are_split() -> None:
    cb = builtin_codebook()
    counts = cb.term_counts("持续优化营商环境，营商环境更好")
    assert counts["营商环境"] == 1  # 优化营商环境 is the longer term at the first place
    assert counts["优化营商环境"] == 1
    assert "环境" not in counts
    # 政务服务 is listed by two themes: each gets half its weight.
    ev = cb.evidence(cb.term_counts("政务服务"))
    be, gov = cb.index["business-environment"], cb.index["governance"]
    assert ev[be] == ev[gov] == pytest.approx(1.0)
    assert sum(ev) == pytest.approx(2.0)


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        ("深入开展安全生产专项整治，排查消防隐患，提升应急救援能力。", "security"),
        ("促进消费，开展以旧换新，扩大有效投资，推进重大项目建设。", "demand"),
        ("加强基层党组织建设，推进全面从严治党，落实中央八项规定精神。", "party-building"),
        ("打好污染防治攻坚战，推进碳达峰碳中和，加强生态修复。", "ecology"),
        ("全面推进乡村振兴，稳定粮食生产，建设高标准农田。", "rural"),
        ("推动外贸保稳提质，发展跨境电商，建设自贸试验区。", "reform-opening"),
    ],
)
def test_synthetic_sentences_get_their_theme(text: str, theme: str) -> None:
    (m,) = assign_themes([text], builtin_codebook())
    assert m.id == theme
    assert 0 < m.score <= 1
    assert m.terms and all(t in text for t, _ in m.terms)


def test_text_without_codebook_terms_has_no_theme() -> None:
    (m,) = assign_themes(["今天天气很好，我们去公园散步。"], builtin_codebook())
    assert m.id is None and m.score == 0.0 and m.as_dict() is None


def test_seed_articles_get_the_hand_labelled_theme(seed_documents) -> None:
    labels = json.loads(GOLD.read_text(encoding="utf-8"))["sets"]["articles"]["labels"]
    arts = [a for d in seed_documents for a in d.articles if a.doc in labels]
    assert len(arts) == len(labels)
    matches = assign_themes([a.text for a in arts], builtin_codebook())
    right = sum(m.id == labels[a.doc] for a, m in zip(arts, matches, strict=True))
    assert right / len(arts) >= 0.8, right


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("theme = [", "not valid TOML"),
        ('[[theme]]\nid = "Bad Id"\nterms = ["x"]', "id must be"),
        ('[[theme]]\nid = "a"\nterms = ["x"]\n[[theme]]\nid = "a"\nterms = ["y"]', "twice"),
        ('mode = "merge"', "mode must be"),
        ('[[theme]]\nid = "a"\nterms = "x"', "list of strings"),
        ('mode = "replace"', "at least one"),
    ],
)
def test_bad_codebooks_are_refused(text: str, message: str) -> None:
    with pytest.raises(CodebookError, match=message):
        parse_codebook(text, name="my.toml")


def test_extend_and_replace() -> None:
    extra = '[[theme]]\nid = "culture"\nname = "文化建设"\nterms = ["非遗", "文化"]\n' \
            '[[theme]]\nid = "security"\nterms = ["防溺水"]\n'
    cb = builtin_codebook([(extra, "extra.toml")])
    assert cb.ids[-1] == "culture" and len(cb) == 13
    sec = cb.themes[cb.index["security"]]
    assert "防溺水" in sec.terms and "安全生产" in sec.terms and sec.name.startswith("安全发展")
    (m,) = assign_themes(["保护非遗，繁荣文化"], cb)
    assert m.id == "culture"
    cb2 = builtin_codebook([('mode = "replace"\n' + extra, "extra.toml")])
    assert cb2.ids == ("culture", "security")


def test_cli_list_and_classify(tmp_path: Path) -> None:
    r = runner.invoke(app, ["themes", "--list", "--format", "json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert [t["id"] for t in data["themes"]][:3] == ["industry", "livelihood",
                                                     "business-environment"]
    r = runner.invoke(app, ["themes", str(SEEDS / "004_57c19a390998e31f.txt"), "-f", "json"])
    assert r.exit_code == 0, r.output
    docs = json.loads(r.stdout)["documents"]
    assert list(docs[0]) == ["doc", "source", "title", "start", "end", "theme", "terms"]
    by = {d["doc"]: d for d in docs}
    assert by["004_57c19a390998e31f#8"]["theme"]["id"] == "ecology"  # 矿山生态修复
    assert by["004_57c19a390998e31f#7"]["theme"]["id"] == "security"  # 交警, 出行安全
    assert all(t["count"] >= 1 for d in docs for t in d["terms"])


def test_cli_usage_errors(tmp_path: Path) -> None:
    r = runner.invoke(app, ["themes"])
    assert r.exit_code == 2
    bad = tmp_path / "bad.toml"
    bad.write_text("not toml", encoding="utf-8")
    r = runner.invoke(app, ["themes", str(SEEDS), "--themes", str(bad)])
    assert r.exit_code == 2
    r = runner.invoke(app, ["themes", str(SEEDS), "--themes", str(tmp_path / "missing.toml")])
    assert r.exit_code == 2
