"""``policytext numbers``: figure records on synthetic strings, on the seeds' gold list, and
through the CLI."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from policytext.analysis.numbers import (
    KINDS,
    find_numbers,
    fuzz_entry,
    scan_document,
    split_figure,
    summarize,
)
from policytext.analysis.pipeline import ReadOptions, document_from_text
from policytext.cli.app import app
from typer.testing import CliRunner

from .conftest import SEEDS

GOLD = Path(__file__).parent / "data" / "numbers_gold.json"
runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1"})


def doc(text: str, *, doc_id: str = "t", split: bool = False):
    return document_from_text(
        text, doc_id=doc_id, source=f"{doc_id}.txt", options=ReadOptions(split=split)
    )


def figures(text: str):
    return scan_document(doc(text))


def one(text: str):
    found = figures(text)
    assert len(found) == 1, [f.text for f in found]
    return found[0]


@pytest.mark.parametrize(
    ("text", "value", "unit", "qual"),
    [
        ("145亿元", "14500000000", "元", None),
        ("16.4亿元", "1640000000", "元", None),
        ("6.5%", "6.5", "%", None),
        ("1.5个百分点", "1.5", "个百分点", None),
        ("2万余名", "20000", "名", "余"),
        ("20余万名", "200000", "名", "余"),
        ("500多万元", "5000000", "元", "多"),
        ("3000至6000元", "3000~6000", "元", None),
        ("七百到九百亿元", "70000000000~90000000000", "元", None),
        ("百分之三十五", "35", "%", None),
        ("千分之三", "3", "‰", None),
        ("三成", "3", "成", None),
        ("140元/人/月", "140", "元/人/月", None),
        ("39万平方米", "390000", "平方米", None),
        ("100万千瓦", "1000000", "千瓦", None),
        ("151,980人", "151980", "人", None),
        ("四百二十七亿四千万元", "42740000000", "元", None),
        ("六亿五千万人", "650000000", "人", None),
        ("十六亿九千二百四十五万亩", "1692450000", "亩", None),
        ("4860.2194万元", "48602194", "元", None),
        ("3—5万元", "30000~50000", "元", None),
    ],
)
def test_split_figure(text: str, value: str, unit: str, qual: str | None) -> None:
    assert split_figure(text) == (value, unit, qual)


def test_approximate_pairs_are_not_values() -> None:
    assert split_figure("一两个") is None
    assert figures("不亲自去抓一两个重点企业。") == []


@settings(max_examples=200, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=10**16),
    style=st.sampled_from(["standard", "liang", "circle", "arabic", "arabic_mult"]),
    unit=st.sampled_from(["元", "吨", "亩", "人", "个", "%", "平方米", "千瓦"]),
)
def test_any_figure_with_a_unit_splits_back_exactly(n: int, style: str, unit: str) -> None:
    from policytext.analysis.numerals import to_chinese

    assert split_figure(to_chinese(n, style) + unit) == (str(n), unit, None)


def test_change_in_the_next_clause_inherits_the_indicator() -> None:
    found = figures("原煤七亿吨，增长百分之十二点九；国内生产总值47.2万亿元，比上年增长9.2%。")
    assert [(f.indicator, f.value, f.unit) for f in found] == [
        ("原煤", "700000000", "吨"),
        ("原煤", "12.9", "%"),
        ("国内生产总值", "47200000000000", "元"),
        ("国内生产总值", "9.2", "%"),
    ]


def test_chinese_comma_as_thousands_separator() -> None:
    f = one("信贷保险收入共收到2，360，816，000元。")
    assert (f.text, f.value, f.unit) == ("2，360，816，000元", "2360816000", "元")


def test_from_to_pairs_share_the_indicator() -> None:
    found = figures("国家财政收入由1121亿元增加到2220亿元，增长98%。")
    assert [(f.indicator, f.value) for f in found] == [
        ("国家财政收入", "112100000000"),
        ("国家财政收入", "222000000000"),
        ("国家财政收入", "98"),
    ]


def test_traditional_decimal_point_and_report_targets() -> None:
    assert one("對外貿易達到一九五〇年的一點八倍。").value == "1.8"
    found = figures("去年城镇新增就业900万人。今年要新增就业900万人以上。")
    assert [f.kind for f in found] == ["actual", "target"]


def test_report_targets_comparisons_and_target_paragraphs() -> None:
    found = figures("今年拟安排财政赤字1.62万亿元，比去年增加2700亿元。")
    assert [(f.indicator, f.kind) for f in found] == [
        ("财政赤字", "target"),
        ("财政赤字", "target"),
    ]
    text = "今年发展的主要预期目标是：国内生产总值增长7%左右。能耗强度下降3.1%以上。"
    assert [f.kind for f in figures(text)] == ["target", "target"]
    assert one("去年国内生产总值增长7.4%。").kind == "actual"


def test_target_with_indicator_qualifier_and_offsets() -> None:
    text = "力争社会消费品零售总额增长6.5%以上。"
    f = one(text)
    assert (f.text, f.indicator, f.value, f.unit, f.qualifier, f.kind) == (
        "6.5%",
        "社会消费品零售总额",
        "6.5",
        "%",
        "以上",
        "target",
    )
    d = doc(text)
    assert d.text[f.start : f.end] == "6.5%"
    assert f.direction == "增长"


def test_achievement_with_period() -> None:
    f = one("1—11月，全市规模工业增加值同比增长8.5%，居全省前列。")
    assert f.kind == "actual"
    assert f.period == "1—11月"
    assert f.indicator == "规模工业增加值"
    assert f.value == "8.5"


def test_indicator_is_from_the_clause_not_the_sentence() -> None:
    found = figures("完成投资20.9亿元，返岗151980人，签约招商项目41个。")
    assert [(f.indicator, f.value, f.unit) for f in found] == [
        ("投资", "2090000000", "元"),
        ("返岗", "151980", "人"),
        ("招商项目", "41", "个"),
    ]


def test_respectively_lists_pair_items_with_figures() -> None:
    found = figures("力争园区技工贸总收入、规模工业增加值分别增长13%、11%。")
    assert [(f.indicator, f.value) for f in found] == [
        ("园区技工贸总收入", "13"),
        ("规模工业增加值", "11"),
    ]
    assert {f.kind for f in found} == {"target"}


def test_count_before_its_noun() -> None:
    found = figures("纵深推进12项改革事项和12项“微改革”事项。")
    assert [f.indicator for f in found] == ["改革事项", "微改革事项"]


def test_qualifiers_before_and_after() -> None:
    assert one("销售额累计超过600万元。").qualifier == "超过"
    assert one("长沙市约有31万残疾人。").qualifier == "约"
    assert one("居家托养残疾人近千人。").value == "1000"
    assert one("收入增长13%左右。").qualifier == "左右"


@pytest.mark.parametrize(
    "text",
    [
        "推进“一带一路”建设。",
        "高质量完成“十四五”规划目标任务。",
        "继续落实“两不愁三保障”各项扶持政策。",
        "邵东市实施七大攻坚总体方案。",
        "（一）实施内需扩量提效攻坚。",
        "办好第三届湖南中医药产业博览会。",
        "邵东政办发〔2025〕2号",
        "邵东市人民政府办公室\n2025年3月6日",
        "二〇二五年，全市上下团结奋进。",
        "落实“1+13”人才政策和“1个总体方案+7个实施方案”。",
        "全市PM2.5平均浓度持续改善，5G基站覆盖城乡。",
        "重点新增百亿产业、十亿企业。",
        "策划一批网红打卡点，推行“一件事一次办”。",
        "分别居全省第7、7.3位。",
    ],
)
def test_formulations_numbering_and_dates_are_not_figures(text: str) -> None:
    assert figures(text) == []


def test_durations_are_other() -> None:
    f = one("企业申请的事项1天内办结。")
    assert (f.unit, f.kind) == ("天", "other")


def test_plans_default_to_target_and_reports_to_achievement() -> None:
    plan = "某县实施方案\n一、目标\n新建改造农贸市场10个。"
    d = document_from_text(plan, doc_id="p", source="p.txt", options=ReadOptions(split=True))
    kinds = {f.kind for f in scan_document(d)}
    assert kinds == {"target"}
    assert one("去年新建改造农贸市场10个。").kind == "actual"


def test_summary_groups_by_indicator_most_frequent_first() -> None:
    d1 = doc("固定资产投资增长7%。进出口总额增长10%。", doc_id="a")
    d2 = doc("固定资产投资增长9%。", doc_id="b")
    rows = summarize(find_numbers([d1, d2]))
    assert rows[0].indicator == "固定资产投资"
    assert (rows[0].count, rows[0].docs, rows[0].values) == (2, 2, ("7%", "9%"))


def test_filters() -> None:
    d = doc("力争固定资产投资增长7%。去年完成投资20.9亿元。")
    assert [f.kind for f in find_numbers([d], kinds=["target"])] == ["target"]
    assert [f.value for f in find_numbers([d], indicator="固定资产")] == ["7"]


# --- the seeds -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gold():
    return json.loads(GOLD.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed_figures(seed_documents):
    return {d.id: scan_document(d) for d in seed_documents}


def test_gold_is_well_formed(gold, seed_documents) -> None:
    texts = {d.id: d.text for d in seed_documents}
    figs = gold["figures"]
    assert len(figs) >= 100
    assert len({f["doc"] for f in figs}) >= 3
    for f in figs:
        assert texts[f["doc"]][f["start"] : f["end"]] == f["text"]
        assert f["kind"] in KINDS
        lo, _, hi = f["value"].partition("~")
        Decimal(lo)
        if hi:
            Decimal(hi)


def test_every_figure_of_the_plan_is_found_exactly(gold, seed_figures) -> None:
    plan = [f for f in gold["figures"] if f["doc"].startswith("002_")]
    lo, hi = gold["regions"][plan[0]["doc"]]
    got = {(f.start, f.end): f for f in seed_figures[plan[0]["doc"]] if lo <= f.start < hi}
    assert {(g["start"], g["end"]) for g in plan} == set(got)
    for g in plan:
        f = got[(g["start"], g["end"])]
        assert (f.value, f.unit, f.kind, f.indicator) == (
            g["value"],
            g["unit"],
            g["kind"],
            g["indicator"],
        ), g


def test_gold_scores(gold, seed_figures) -> None:
    pred = {}
    for doc_id, (lo, hi) in gold["regions"].items():
        for f in seed_figures[doc_id]:
            if lo <= f.start < hi:
                pred[(doc_id, f.start, f.end)] = f
    figs = gold["figures"]
    hits = [
        (pred[(g["doc"], g["start"], g["end"])], g)
        for g in figs
        if (g["doc"], g["start"], g["end"]) in pred
    ]
    recall = len(hits) / len(figs)
    precision = len(hits) / len(pred)
    assert recall >= 0.95 and precision >= 0.95, (recall, precision)
    assert sum(f.value == g["value"] and f.unit == g["unit"] for f, g in hits) / len(hits) >= 0.98
    with_ind = [(f, g) for f, g in hits if g["indicator"]]
    partial = sum(
        bool(f.indicator) and (g["indicator"] in f.indicator or f.indicator in g["indicator"])
        for f, g in with_ind
    )
    assert partial / len(with_ind) >= 0.9
    assert sum(f.kind == g["kind"] for f, g in hits) / len(hits) >= 0.85


def test_seed_offsets_slice_the_text(seed_documents, seed_figures) -> None:
    for d in seed_documents:
        for f in seed_figures[d.id]:
            assert d.text[f.start : f.end] == f.text
            assert f.kind in KINDS
            fuzz_entry(d)


def test_order_of_inputs_does_not_matter(seed_documents) -> None:
    a = find_numbers(seed_documents)
    b = find_numbers(list(reversed(seed_documents)))
    assert a == b and a


@settings(max_examples=150, deadline=None)
@given(
    st.text(
        alphabet="0123456789.,%万亿元个人余多以上约近第（）“”—至、，。；\n增长力争完成同比年月日百分之三两十千",
        max_size=60,
    )
)
def test_any_text_gives_valid_records(text: str) -> None:
    d = doc(text or "空")
    fuzz_entry(d)
    for f in scan_document(d):
        assert f.value and not f.value.startswith("-")


# --- the CLI ---------------------------------------------------------------------------------


def _run(*args: str):
    return runner.invoke(app, ["numbers", *args])


def test_cli_json_shape() -> None:
    r = _run(str(SEEDS / "002_083cf205d14e5406.txt"), "-f", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert list(data) == ["numbers", "indicators"]
    rec = data["numbers"][0]
    assert list(rec) == [
        "doc", "source", "start", "end", "text", "indicator", "value", "unit", "qualifier",
        "direction", "kind", "period", "context",
    ]  # fmt: skip
    assert list(data["indicators"][0]) == ["indicator", "count", "docs", "values"]
    assert rec["text"] == "6.5%" and rec["indicator"] == "社会消费品零售总额"
    assert rec["direction"] == "增长" and rec["kind"] == "target"


def test_cli_kind_and_indicator_filters() -> None:
    r = _run(str(SEEDS), "-f", "json", "--kind", "target", "--indicator", "增加值")
    assert r.exit_code == 0
    recs = json.loads(r.stdout)["numbers"]
    assert recs and all(x["kind"] == "target" and "增加值" in x["indicator"] for x in recs)
    r2 = _run(str(SEEDS), "-f", "json", "--kind", "actual")
    assert {x["kind"] for x in json.loads(r2.stdout)["numbers"]} == {"actual"}


def test_cli_bad_kind_is_a_usage_error() -> None:
    r = _run(str(SEEDS), "--kind", "bogus")
    assert r.exit_code == 2


def test_cli_by_file_and_recurring() -> None:
    r = _run(str(SEEDS), "-f", "json", "--by", "file", "--recurring")
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert list(data) == ["numbers", "indicators", "recurring", "groups", "compare"]
    assert len(data["groups"]) == 5
    assert sum(g["numbers"] for g in data["groups"]) == len(data["numbers"])
    assert all(len(c["by_group"]) > 1 for c in data["compare"])
    assert all(r["count"] > 1 and len(r["occurrences"]) == r["count"] for r in data["recurring"])


def test_cli_csv_and_jsonl_one_record_per_figure() -> None:
    path = str(SEEDS / "001_0b186be64541f9a4.txt")
    n = len(json.loads(_run(path, "-f", "json").stdout)["numbers"])
    csv_out = _run(path, "-f", "csv").stdout.splitlines()
    assert csv_out[0].startswith("doc,source,start,end,text,indicator,value")
    jsonl = _run(path, "-f", "jsonl").stdout.splitlines()
    assert len(jsonl) == n and n > 30


def test_report_data_is_the_default_json(seed_documents) -> None:
    from policytext.cli.commands import numbers as cmd
    from policytext.cli.corpus import load_corpus

    corpus = load_corpus([str(SEEDS)])
    r = _run(str(SEEDS), "-f", "json")
    assert cmd.report_data(corpus, None) == json.loads(r.stdout)
    cmd.fuzz_entry(seed_documents[0])


def test_fuzz_target_finds_the_hook() -> None:
    import importlib

    module = importlib.import_module("policytext.analysis.numbers")
    assert callable(getattr(module, "fuzz_entry", None))


# --- shares, figures back to back, and lists that share a change --------------------------------
@pytest.mark.parametrize(
    ("text", "figure", "value"),
    [
        ("约占全国三分之一左右。", "三分之一", "33.33"),
        ("减少四分之一。", "四分之一", "25"),
        ("占投资总额的三分之二。", "三分之二", "66.67"),
        ("其中1/3用于农村。", "1/3", "33.33"),
        ("其余3/4用于城市。", "3/4", "75"),
        ("降低万分之三。", "万分之三", "0.03"),
    ],
)
def test_fractions_are_shares_in_percent(text: str, figure: str, value: str) -> None:
    found = [f for f in figures(text) if f.text == figure]
    assert len(found) == 1, figures(text)
    assert found[0].value == value and found[0].unit == "%"
    Decimal(found[0].value)  # the value stays a decimal, as every record's does


@pytest.mark.parametrize("text", ["截至6/30日。", "网址www.a.cn/1/3。", "第2/3卷。", "比分3/2。"])
def test_dates_paths_and_improper_fractions_are_not_shares(text: str) -> None:
    assert not [f for f in figures(text) if "/" in f.text]


def test_percentages_are_still_percentages_not_fractions() -> None:
    (f,) = figures("增长百分之五点五。")
    assert (f.text, f.value, f.unit) == ("百分之五点五", "5.5", "%")


def test_figures_back_to_back_are_both_read() -> None:
    found = figures("全市办好重点民生实事9件20项。")
    assert [(f.text, f.value, f.unit) for f in found] == [("9件", "9", "件"), ("20项", "20", "项")]
    # a multiplier followed by digits is one amount: it is not cut into two figures
    assert "2万" not in [f.text for f in figures("投入2万5千元。")]


def test_figures_back_to_back_on_the_seed() -> None:
    text = (SEEDS / "003_852e71a26c244327.txt").read_text(encoding="utf-8")
    found = {f.text for f in scan_document(doc(text))}
    assert {"9件", "20项", "8件", "11项"} <= found


def test_a_listed_figure_shares_the_change_of_the_first() -> None:
    found = figures("粮食产量增长5%和8%，投资分别增长12.5%、8.3%和6%以上。")
    assert [(f.text, f.direction) for f in found] == [
        ("5%", "增长"), ("8%", "增长"), ("12.5%", "增长"), ("8.3%", "增长"), ("6%", "增长"),
    ]
    assert found[-1].qualifier == "以上"


def test_the_next_figure_is_not_read_as_the_name_after() -> None:
    found = figures("主要污染物排放总量首次出现双下降，比上年分别下降3.14%和4.66%。")
    assert [f.text for f in found] == ["3.14%", "4.66%"]
    assert all(f.indicator is None or not any(ch.isdigit() for ch in f.indicator) for f in found)
    assert all(f.direction == "下降" for f in found)


def test_a_duration_is_not_a_period() -> None:
    (f,) = figures("实行了长达2600年的古老税种，取消了700多亿元的三提五统。")
    assert f.text == "700多亿元" and f.period is None
    (g,) = figures("2015年完成投资5亿元。")
    assert g.period == "2015年"


def test_measure_words_for_machines_ships_and_wells() -> None:
    found = figures("缝纫机860万架，增加140万架；新打机井3万眼，渔船200艘。")
    assert [(f.text, f.value, f.unit) for f in found][:2] == [
        ("860万架", "8600000", "架"), ("140万架", "1400000", "架")]
    assert ("200艘", "艘") in [(f.text, f.unit) for f in found]
    assert found[0].indicator == "缝纫机"
    # a single Chinese numeral with a measure word is a formulation, not a figure
    assert figures("一口气办成三块牌子。") == []


def test_a_name_before_the_period_when_only_the_change_follows_it() -> None:
    (f,) = figures("农民的生产补贴资金去年达到1226亿元。")
    assert (f.indicator, f.period, f.direction) == ("农民的生产补贴资金", "去年", "达到")
    (g,) = figures("今年完成投资5亿元。")
    assert (g.indicator, g.period) == ("投资", "今年")


def test_anniversaries_are_not_figures_and_passenger_km_is_a_unit() -> None:
    assert figures("自治区成立60周年庆祝活动。") == []
    (f,) = figures("旅客周转量将达到五十七亿人公里。")
    assert (f.value, f.unit, f.indicator) == ("5700000000", "人公里", "旅客周转量")


def test_a_preposition_or_the_next_figure_is_not_a_name() -> None:
    found = figures("机制糖：从二十四万九千吨增加到六十八万六千吨，增长一点八倍。")
    assert [f.text for f in found] == ["二十四万九千吨", "六十八万六千吨", "一点八倍"]
    assert all(f.indicator is None or "吨" not in f.indicator and f.indicator != "从"
               for f in found)


def test_adverbs_plans_and_le_are_not_part_of_the_name() -> None:
    found = figures("一九五八年工业总产值比一九五七年增长百分之八十八，"
                    "粮食产量也增长了百分之八十三。")
    assert [(f.indicator, f.direction) for f in found] == [
        ("工业总产值", "增长"), ("粮食产量", "增长")]
    (f,) = figures("社会商品零售额要比一九五四年增长百分之二十七。")
    assert f.indicator == "社会商品零售额"
    (g,) = figures("全年工业总产值计划比上年增长6%，预计可以超过。")
    assert (g.indicator, g.direction) == ("工业总产值", "增长")
