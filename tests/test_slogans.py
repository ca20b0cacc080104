"""Slogans (提法): shapes, filters, variants, expansions, offsets, the gold list of the seeds,
and the command line (including --export-dict feeding --user-dict)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from policytext.analysis.pipeline import ReadOptions, document_from_text
from policytext.analysis.slogans import (
    Lexicon,
    dictionary_lines,
    find_slogans,
    numeral_total,
    numeric_shape,
    recurring_phrases,
)
from policytext.cli.app import app
from typer.testing import CliRunner

from .conftest import SEEDS

GOLD = json.loads(
    (Path(__file__).parent / "data" / "slogans_gold.json").read_text(encoding="utf-8")
)
runner = CliRunner(env={"COLUMNS": "250", "NO_COLOR": "1"})


def key(s: str) -> str:
    return re.sub(r"[、，,；;\s“”‘’「」『』]", "", s)


@pytest.fixture(scope="module")
def lexicon(segmenter):
    return Lexicon.from_segmenter(segmenter)


def doc(text: str, doc_id: str = "t"):
    return document_from_text(
        text, doc_id=doc_id, source=f"{doc_id}.txt", options=ReadOptions(split=False)
    )


def slogans_of(lexicon, *texts: str, **kw):
    docs = [doc(t, f"d{i}") for i, t in enumerate(texts)]
    return {s.slogan: s for s in find_slogans(docs, lexicon, **kw).slogans}


# ---------------------------------------------------------------------------------------------
# Shapes
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, shape",
    [
        ("三高四新", "multi"),
        ("两不愁三保障", "multi"),
        ("一核两电三色四新", "multi"),
        ("一件事一次办", "multi"),
        ("七大攻坚", "class"),
        ("三张名片", "class"),
        ("两个确立", "class"),
        ("五个一", "ngen"),
        ("三个三", "ngen"),
        ("四上企业", "compound"),
        ("1+1+N+N", "plus"),
        ("1+3", "plus"),
        ("三年行动", None),
        ("营商环境", None),
        ("一年一度", None),
    ],
)
def test_numeric_shapes(text: str, shape: str | None) -> None:
    assert numeric_shape(text) == shape


@pytest.mark.parametrize(
    "text, n",
    [
        ("三员", 3),
        ("一必须五到位", 6),
        ("五个一", 5),
        ("四比四提高", 8),
        ("十四条", 14),
        ("1+1+N", None),
    ],
)
def test_numeral_total(text: str, n: int | None) -> None:
    assert numeral_total(text) == n


def test_numeric_formulations_are_whole_and_quantities_are_not(lexicon) -> None:
    found = slogans_of(
        lexicon,
        "全省锚定三高四新美好蓝图，全面实施七大攻坚，建立1+1+N+N工作机制，"
        "落实两不愁三保障，推进双招双引，三个项目开工，引进两家企业，一批五星级乡村旅游区。",
    )
    for want in ("三高四新", "七大攻坚", "1+1+N+N", "两不愁三保障", "双招双引"):
        assert want in found and found[want].kind == "numeric", want
    for bad in ("三高", "四新", "两不愁", "三保障", "三个项目", "两家企业", "一批五星级", "七大"):
        assert bad not in found, bad


def test_no_occurrence_inside_another(lexicon) -> None:
    found = slogans_of(lexicon, "围绕“一主一特”产业发展格局，做实“一主一特一新”产业布局。")
    assert found["一主一特"].count == 1 and found["一主一特一新"].count == 1


# ---------------------------------------------------------------------------------------------
# Quotes
# ---------------------------------------------------------------------------------------------
def test_quoted_speech_and_scare_quotes_are_left_out(lexicon) -> None:
    found = slogans_of(
        lexicon,
        "推行“一件事一次办”，全面推行“扫码入企、联码督查”，开展“送政策、解难题、优服务”行动。"
        "该企业成为全区经济的“顶梁柱”，增添了一台“发动机”，演绎着项目建设的“速度与激情”。"
        "“我今年刚从大学毕业，现在工作很顺利。”她说。“高”与“新”。",
    )
    for want in ("一件事一次办", "扫码入企、联码督查", "送政策、解难题、优服务"):
        assert want in found, want
    assert found["扫码入企、联码督查"].kind == "quoted"
    for bad in ("顶梁柱", "发动机", "速度与激情", "高", "新"):
        assert bad not in found, bad
    assert not any("毕业" in s for s in found)


def test_titles_are_not_slogans_but_listed_apart(lexicon) -> None:
    d = doc("印发《邵东市实施“七大攻坚”总体方案》的通知。按照《政府工作报告》部署。")
    result = find_slogans([d], lexicon, titles=True)
    names = {s.slogan for s in result.slogans}
    assert "七大攻坚" in names
    assert not any("总体方案" in n or "政府工作报告" in n for n in names)
    assert {t.title for t in result.titles} == {"邵东市实施“七大攻坚”总体方案", "政府工作报告"}
    assert find_slogans([d], lexicon).titles == ()


# ---------------------------------------------------------------------------------------------
# Variants, offsets, expansions
# ---------------------------------------------------------------------------------------------
def test_variants_merge_quote_marks_and_line_breaks(lexicon) -> None:
    text = "创建“五好”园区。建设五好园区。继续落实“两不愁 三保障”政策，巩固两不愁三保障成果。"
    d = doc(text)
    result = {s.slogan: s for s in find_slogans([d], lexicon, examples=10).slogans}
    wuhao = result["五好园区"]
    assert wuhao.count == 2 and "“五好”园区" in wuhao.variants and "五好园区" in wuhao.variants
    lbz = result["两不愁三保障"]
    assert lbz.count == 2 and "“两不愁 三保障”" in lbz.variants
    assert "五好" not in result and "两不愁" not in result
    for s in result.values():
        for e in s.examples:
            assert key(d.text[e.start : e.end]) == key(s.slogan) or key(
                d.text[e.start : e.end]
            ) in {key(v) for v in s.variants}
            assert d.text[e.start : e.end] in e.context.replace(" ", "") or d.text[
                e.start : e.end
            ].replace(" ", "") in e.context.replace(" ", "")


@pytest.mark.parametrize(
    "text, slogan, needle",
    [
        (
            "核工业产业链重点打造“三个三”，即独居石、核废弃物处理、锆铪项目；",
            "三个三",
            "独居石、核废弃物处理、锆铪项目",
        ),
        (
            "重点打造“两区一点”，即眼镜小镇首开区、衡木创业区、鸿福双创示范点。",
            "两区一点",
            "眼镜小镇首开区",
        ),
        (
            "讲政治、有信念，讲规矩、有纪律，讲道德、有品行，讲奉献、有作为，简称“四讲四有”。",
            "四讲四有",
            "讲政治、有信念",
        ),
        (
            "坚持“五同”（同吃、同住、同劳动、同学习、同娱乐）。",
            "五同",
            "同吃、同住、同劳动、同学习、同娱乐",
        ),
        (
            "打好“发展六仗”：产业仗、项目仗、招商仗、改革仗、民生仗、安全仗。",
            "发展六仗",
            "产业仗、项目仗",
        ),
        ("推出帮扶员、监督员、安全员“三员”工作机制。", "三员", "帮扶员、监督员、安全员"),
    ],
)
def test_expansions(lexicon, text: str, slogan: str, needle: str) -> None:
    found = slogans_of(lexicon, text)
    assert slogan in found
    assert found[slogan].expansion is not None and needle in found[slogan].expansion


def test_list_after_a_numeric_formulation_is_its_expansion_only_when_counts_agree(lexicon) -> None:
    found = slogans_of(
        lexicon, "实施“三大行动”：招商行动、项目行动、服务行动。推进“四大工程”：甲工程、乙工程。"
    )
    assert found["三大行动"].expansion == "招商行动、项目行动、服务行动"
    assert found["四大工程"].expansion is None


def test_seed_offsets_point_at_the_slogan(seed_documents, lexicon) -> None:
    result = find_slogans(seed_documents, lexicon, examples=1000)
    by_id = {a.doc: d for d in seed_documents for a in d.articles}
    checked = 0
    for s in result.slogans:
        forms = {key(s.slogan)} | {key(v) for v in s.variants}
        for e in s.examples:
            if e.end - e.start > len(s.slogan) + 8:
                continue  # broken across an out-of-order column
            assert key(by_id[e.doc].text[e.start : e.end]) in forms, (s.slogan, e)
            checked += 1
    assert checked > 1000


# ---------------------------------------------------------------------------------------------
# The gold list of the seeds
# ---------------------------------------------------------------------------------------------
def test_seed_gold_recall_precision_and_no_fragments(seed_documents, lexicon) -> None:
    result = find_slogans(seed_documents, lexicon, titles=True)
    reported = {}
    for s in result.slogans:
        for form in (s.slogan, *s.variants):
            reported.setdefault(key(form), s)
    positive = {key(k): v for k, v in GOLD["positive"].items()}
    negative = {key(k) for k in GOLD["negative"]}
    neutral = {key(k) for k in GOLD["neutral"]}
    recall = sum(1 for k in positive if k in reported) / len(positive)
    assert recall >= 0.9, recall
    for kind in ("numeric", "quoted", "term"):
        ks = [k for k, v in positive.items() if v == kind]
        assert sum(1 for k in ks if k in reported) >= 0.85 * len(ks), kind
    top = [s for s in result.slogans[:50] if key(s.slogan) not in neutral]
    assert not [s.slogan for s in top if key(s.slogan) in negative]
    assert sum(1 for s in top if key(s.slogan) in positive) >= 0.9 * len(top)
    judged = [s for s in result.slogans if key(s.slogan) not in neutral]
    assert sum(1 for s in judged if key(s.slogan) in positive) >= 0.7 * len(judged)
    names = {key(s.slogan) for s in result.slogans}
    assert not [f for f, _ in GOLD["fragments"] if key(f) in names]
    titles = {key(t.title) for t in result.titles}
    assert titles and not names & titles
    assert not [s.slogan for s in result.slogans if s.slogan[-1] in "。！？…" or len(s.slogan) > 40]
    for name, needle in GOLD["expansions"].items():
        s = reported[key(name)]
        assert s.expansion and needle in s.expansion, name


def test_recurring_phrases_need_documents_cohesion_and_freedom() -> None:
    token_docs = {
        "a": [
            ["推进", "产业", "集群", "建设"],
            ["表示", "诚挚", "的", "感谢"],
            ["产业", "集群", "发展"],
        ],
        "b": [["壮大", "产业", "集群"], ["表示", "诚挚", "的", "敬意"], ["产业", "集群"]],
        "c": [["产业", "集群", "升级"], ["表示", "诚挚", "的", "谢意"], ["数字", "经济"]],
    }
    out = recurring_phrases(token_docs, min_docs=3, min_count=3)
    assert "产业集群" in out and out["产业集群"] == ("产业", "集群")
    assert "表示诚挚" not in out  # always followed by 的: not a free phrase
    assert "数字经济" not in out  # one document
    assert recurring_phrases(token_docs, min_docs=4, min_count=3) == {}


def test_phrase_miner_output_plugs_in_as_terms(lexicon) -> None:
    texts = ["加强园区标准厂房建设。", "新建园区标准厂房三栋。"]
    found = slogans_of(lexicon, *texts, phrases=["园区标准厂房"])
    assert found["园区标准厂房"].kind == "term" and found["园区标准厂房"].docs == 2
    assert "园区标准厂房" not in slogans_of(lexicon, *texts, phrases=[])


def test_groups_compare_places(lexicon) -> None:
    d1 = document_from_text(
        "落实“三保”。落实“三保”。推进七大攻坚。",
        doc_id="a",
        source="y2023/a.txt",
        options=ReadOptions(split=False),
    )
    d2 = document_from_text(
        "推进七大攻坚，推进七大攻坚，推进七大攻坚。",
        doc_id="b",
        source="y2024/b.txt",
        options=ReadOptions(split=False),
    )
    result = find_slogans([d2, d1], lexicon, group_of=lambda d: d.source.split("/")[0])
    g = {x.group: x for x in result.groups}
    assert g["y2023"].only == ("三保",)
    assert "七大攻坚" in g["y2024"].rising and "三保" in g["y2024"].falling
    s = {x.slogan: dict(x.by_group) for x in result.slogans}
    assert s["七大攻坚"] == {"y2023": 1, "y2024": 3}


def test_dictionary_lines_keep_only_what_jieba_can_match(lexicon) -> None:
    found = slogans_of(
        lexicon, "建立“1+1+N+N”工作机制，开展“送政策、解难题、优服务”行动，实施七大攻坚。"
    )
    lines = dictionary_lines(found.values())
    assert "1+1+N+N 20000 nz" in lines and "七大攻坚 20000 nz" in lines
    assert not any("、" in line for line in lines)


# ---------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------
def test_cli_json_shape_and_kind_filter() -> None:
    result = runner.invoke(
        app, ["slogans", str(SEEDS), "-f", "json", "--kind", "numeric", "--min-docs", "2"]
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert list(data) == ["slogans", "titles", "groups"]
    assert data["slogans"] and all(
        s["kind"] == "numeric" and s["docs"] >= 2 for s in data["slogans"]
    )
    first = data["slogans"][0]
    assert list(first) == ["slogan", "kind", "count", "docs", "variants", "expansion", "examples"]
    assert list(first["examples"][0]) == ["doc", "source", "start", "end", "context"]
    assert "三高四新" in {s["slogan"] for s in data["slogans"]}


def test_cli_bad_kind_is_a_usage_error() -> None:
    result = runner.invoke(app, ["slogans", str(SEEDS), "--kind", "slogan"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "--kind" in result.stderr


def test_cli_is_deterministic_whatever_the_input_order() -> None:
    files = sorted(str(p) for p in SEEDS.glob("*.txt"))[:3]
    a = runner.invoke(app, ["slogans", *files, "-f", "json", "--titles"])
    b = runner.invoke(app, ["slogans", *reversed(files), "-f", "json", "--titles"])
    assert a.exit_code == b.exit_code == 0
    assert a.stdout == b.stdout


def test_cli_titles_and_by_file_tables() -> None:
    files = sorted(str(p) for p in SEEDS.glob("*.txt"))[:2]
    result = runner.invoke(
        app, ["slogans", *files, "-f", "table", "--titles", "--by", "file", "--top", "5"]
    )
    assert result.exit_code == 0, result.stderr
    assert "5 slogans" in result.stdout and "titles in 《》" in result.stdout
    assert "slogans by file" in result.stdout
    data = json.loads(runner.invoke(app, ["slogans", *files, "-f", "json", "--by", "file"]).stdout)
    assert [g["group"] for g in data["groups"]] == files
    assert all("by_group" in s for s in data["slogans"])


def test_export_dict_keeps_slogans_whole_in_segmentation(tmp_path: Path) -> None:
    src = tmp_path / "plan.txt"
    src.write_text(
        "建立“1+1+N+N”工作机制，推进“智转数改网联”，打造“两园一场一中心”。\n"
        "全市建立1+1+N+N工作机制，加快智转数改网联。\n",
        encoding="utf-8",
    )
    before = json.loads(runner.invoke(app, ["segment", str(src), "-f", "json"]).stdout)
    assert "1+1+N+N" not in before["articles"][0]["tokens"]
    assert "智转数改网联" not in before["articles"][0]["tokens"]
    dict_path = tmp_path / "slogans.dict"
    result = runner.invoke(
        app, ["slogans", str(src), "-f", "json", "--export-dict", str(dict_path)]
    )
    assert result.exit_code == 0, result.stderr
    lines = [
        ln for ln in dict_path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")
    ]
    assert "1+1+N+N 20000 nz" in lines
    after = json.loads(
        runner.invoke(
            app, ["segment", str(src), "-f", "json", "--user-dict", str(dict_path)]
        ).stdout
    )
    tokens = after["articles"][0]["tokens"]
    assert tokens.count("1+1+N+N") == 2 and tokens.count("智转数改网联") == 2
    assert "两园一场一中心" in tokens


def test_export_dict_refuses_to_overwrite_an_input_and_reports_unwritable(tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text("实施七大攻坚。\n", encoding="utf-8")
    result = runner.invoke(app, ["slogans", str(src), "--export-dict", str(src)])
    assert result.exit_code == 4 and "refusing to overwrite" in result.stderr
    assert src.read_text(encoding="utf-8") == "实施七大攻坚。\n"
    result = runner.invoke(
        app, ["slogans", str(src), "--export-dict", str(tmp_path / "missing" / "x.dict")]
    )
    assert result.exit_code == 4 and result.stderr.count("\n") == 1


def test_enumerated_points_are_not_numeric_slogans() -> None:
    """一是…二是…三要…: a report numbering its points is not a formulation (found on the
    2010-2011 work reports)."""
    from policytext.analysis.models import Article, Document, Span
    from policytext.analysis.slogans import Lexicon, find_slogans

    text = ("一是完善监管办法。二是进一步落实和完善房地产市场调控政策。三要进一步规范收入分配秩序。"
            "坚持“三高四新”战略，落实“三高四新”。")
    art = Article(doc="d#0", source="d", index=0, title="", subtitle="", byline="", body=text,
                  spans=(Span(0, len(text), "body", ""),))
    doc = Document(id="d", source="d", text=text, articles=(art,))
    found = {s.slogan for s in find_slogans([doc], Lexicon(cut=list)).slogans}
    assert "三高四新" in found
    assert not any(s.startswith(("二是", "三要")) for s in found), found
