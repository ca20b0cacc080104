"""Background IDF tables: build, read, write, the built-in one, and ``policytext idf build``."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from policytext.analysis.idf import build_idf, builtin_idf, parse_idf, serialise_idf, smooth_idf
from policytext.analysis.models import InputError
from policytext.cli.app import app
from typer.testing import CliRunner

from .conftest import SEED_FILES, SEEDS

runner = CliRunner(env={"COLUMNS": "160", "NO_COLOR": "1"})


def test_build_idf_matches_the_smoothed_formula() -> None:
    docs = [["营商环境", "企业", "企业"], ["企业", "发展"], ["发展"], ["乡村振兴", "发展"]]
    table = build_idf(docs)
    assert table.n_docs == 4
    assert table.get("企业") == pytest.approx(math.log(5 / 3) + 1)  # df 2
    assert table.get("发展") == pytest.approx(math.log(5 / 4) + 1)  # df 3
    assert table.get("营商环境") == pytest.approx(math.log(5 / 2) + 1)  # df 1
    assert table.default == pytest.approx(math.log(5 / 1) + 1)  # df 0
    assert table.get("没见过") == table.default
    assert table.get("发展") < table.get("企业") < table.get("营商环境") < table.default


def test_min_df_leaves_rare_terms_to_the_default() -> None:
    docs = [["甲方", "乙方"], ["乙方"], ["乙方", "丙方"]]
    table = build_idf(docs, min_df=2)
    assert set(table.values) == {"乙方"}
    assert table.default == pytest.approx(smooth_idf(3, 1))
    with pytest.raises(ValueError):
        build_idf(docs, min_df=0)


def test_punctuation_and_unstorable_terms_are_left_out() -> None:
    table = build_idf([["，", "#话题", "营商环境", "a b"], ["。", "营商环境"]])
    assert set(table.values) == {"营商环境"}


def test_roundtrip_is_exact_and_deterministic() -> None:
    docs = [["营商环境", "企业"], ["企业", "发展"], ["发展", "乡村振兴"]]
    a = serialise_idf(build_idf(docs), comment="test\nsecond line")
    b = serialise_idf(build_idf(list(reversed(docs))), comment="test\nsecond line")
    assert a == b
    back = parse_idf(a, name="t.tsv")
    assert back.n_docs == 3
    for term, value in build_idf(docs).values.items():
        assert back.get(term) == pytest.approx(value, abs=1e-6)
    assert back.default == pytest.approx(build_idf(docs).default, abs=1e-6)
    assert serialise_idf(back, comment="test\nsecond line") == a


def test_jieba_idf_format_reads_and_the_default_is_the_median() -> None:
    table = parse_idf("营商环境 9.5\n企业 3.0\n发展 2.0\n", name="idf.txt")
    assert table.get("企业") == 3.0
    assert table.default == 3.0


@pytest.mark.parametrize(
    "text, where",
    [
        ("营商环境\tabc\n", "idf.tsv:1"),
        ("# docs: 3\n营商环境\t1.0\t2\t3\n", "idf.tsv:2"),
        ("营商环境\tnan\n", "idf.tsv:1"),
        ("营商环境\t-1\n", "idf.tsv:1"),
        ("# default: x\n营商环境\t1\n", "idf.tsv:1"),
        ("# only comments\n\n", "idf.tsv"),
    ],
)
def test_bad_files_name_the_file_and_line(text: str, where: str) -> None:
    with pytest.raises(InputError) as exc:
        parse_idf(text, name="idf.tsv")
    assert str(exc.value).startswith(where)
    assert "\n" not in str(exc.value)


@given(st.lists(st.lists(st.text(alphabet="甲乙丙丁戊，# a", min_size=1, max_size=3), max_size=6),
                min_size=1, max_size=8))
def test_any_table_survives_a_roundtrip(docs) -> None:
    table = build_idf(docs)
    back = parse_idf(serialise_idf(table), name="x") if table.values else None
    if back is not None:
        assert set(back.values) == set(table.values)
        assert back.n_docs == table.n_docs


def test_builtin_table() -> None:
    table = builtin_idf()
    assert table.n_docs > 1000 and len(table) > 5000
    # policy prose: 发展 is everywhere, 营商环境 is rare in 1954-2015
    assert table.get("发展") < table.get("企业") < table.get("营商环境") <= table.default
    assert all(v > 0 for v in table.values.values())


def test_idf_build_cli_on_bad_input_and_on_the_seeds(tmp_path: Path) -> None:
    out = tmp_path / "idf.tsv"
    # a missing input: one line on stderr, exit 3 (every input failed), no file written
    bad = runner.invoke(app, ["idf", "build", str(tmp_path / "missing.txt"), "-o", str(out)])
    assert bad.exit_code == 3, bad.stderr
    assert "Traceback" not in bad.stderr and "missing.txt" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1
    assert not out.exists()
    # refusing to overwrite an input
    seed = SEED_FILES[0]
    clash = runner.invoke(app, ["idf", "build", str(seed), "-o", str(seed)])
    assert clash.exit_code == 4 and "refusing to overwrite" in clash.stderr
    # -o is required: a usage error
    assert runner.invoke(app, ["idf", "build", str(SEEDS)]).exit_code == 2
    # the seeds: one document per article
    ok = runner.invoke(app, ["idf", "build", str(SEEDS), "-o", str(out)])
    assert ok.exit_code == 0, ok.stderr
    table = parse_idf(out.read_text(encoding="utf-8"), name=str(out))
    from policytext.cli.corpus import load_corpus

    n_articles = sum(len(d.articles) for d in load_corpus([str(SEEDS)]).documents)
    assert table.n_docs == n_articles
    assert "营商环境" in table.values and "邵东" in table.values
    assert "，" not in table.values
    # the table works as --idf FILE
    kw = runner.invoke(app, ["keywords", str(SEEDS), "--idf", str(out), "-f", "json", "--top", "5"])
    assert kw.exit_code == 0, kw.stderr
    # and the same inputs give the same bytes
    again = tmp_path / "again.tsv"
    runner.invoke(app, ["idf", "build", *map(str, reversed(SEED_FILES)), "-o", str(again)])
    assert again.read_bytes() == out.read_bytes()
