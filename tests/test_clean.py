"""Cleaning: input -> expected tables taken from the seeds, plus properties."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from policytext.analysis import clean

CJK_RE = re.compile(f"[{clean.CJK}]")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ＡＢＣ１２３", "ABC123"),
        ("增长６．５％以上", "增长6.5%以上"),
        ("营商\u3000环境", "营商 环境"),
        ("营\u200b商\u200d环\ufeff境", "营商环境"),
        ("报告\x00\x07正文", "报告正文"),
        ("bad \ud800 surrogate", "bad \ufffd surrogate"),
        ("第一行\r\n第二行\r第三行", "第一行\n第二行\n第三行"),
        ("①〔2025〕，。！？（）", "①〔2025〕，。！？（）"),  # Chinese punctuation kept
        ("\u202e反转\u202c", "反转"),
    ],
)
def test_normalize_unicode(raw: str, expected: str) -> None:
    assert clean.normalize_unicode(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("市直有关单位,省、邵阳市属驻邵有关单位:", "市直有关单位，省、邵阳市属驻邵有关单位："),
        ("(一)实施内需扩量提效攻坚", "（一）实施内需扩量提效攻坚"),
        ("发布时间:2025-03-06 15:32", "发布时间：2025-03-06 15:32"),
        ("1,234 and 15:32 and http://x.cn", "1,234 and 15:32 and http://x.cn"),
        ("PM2.5(细颗粒物)", "PM2.5（细颗粒物）"),
    ],
)
def test_unify_punctuation(raw: str, expected: str) -> None:
    assert clean.unify_punctuation(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("贫 困 残 疾 人", "贫困残疾人"),
        ("托 养 服 务 8500 余 人 次", "托养服务8500余人次"),
        ("全市 2 万余名被纳入建档立卡户", "全市2万余名被纳入建档立卡户"),
        ("分 别 提 标 至 140 元/人/月 、100 元/人/", "分别提标至140元/人/月、100元/人/"),
        ("的 范 围 界 定 从 残 疾 程 度 重 度（一 、二", "的范围界定从残疾程度重度（一、二"),
        ("“ 真 刀 实 枪 ”推 改 革 。 大 力 深 化", "“真刀实枪”推改革。大力深化"),
        ("唐兰荣 唐 曦", "唐兰荣 唐曦"),
        ("服务有温度 办事零距离", "服务有温度 办事零距离"),
        ("陈志强 罗雯艳 李瀚杰", "陈志强 罗雯艳 李瀚杰"),
        ("邵东：加力“闯创干” 推进高质量发展", "邵东：加力“闯创干” 推进高质量发展"),
        ("policy text mining", "policy text mining"),
    ],
)
def test_join_spaced_cjk(raw: str, expected: str) -> None:
    assert clean.join_spaced_cjk(raw) == expected


WEB_PAGE = """当前位置: 首页 > 市政府 > 政府信息公开发布平台 > 政府公报

邵东市人民政府办公室关于印发《邵东市实施“七大攻坚”总体方案》的通知

发布时间:2025-03-06 15:32 信息来源:邵东市人民政府办公室 责任编辑:邵东市人民政府办公室
分享到:

邵东政办发〔2025〕2号

正文第一段。

扫一扫在手机打开当前页
打印本页 关闭窗口

设为首页| 加入收藏| 免责声明| 网站地图| 联系我们

主办单位:邵东市人民政府  承办单位:邵东市数据局 |

备案/许可证编号:湘ICP备14000179号   湘公网安备 43052102000153号
"""


def test_strip_boilerplate_removes_web_template() -> None:
    out = clean.pipeline(WEB_PAGE)
    for junk in ("当前位置", "发布时间", "分享到", "扫一扫", "打印本页", "设为首页", "主办单位", "ICP备", "公网安备"):
        assert junk not in out
    assert "正文第一段。" in out
    assert "邵东政办发〔2025〕2号" in out


def test_extract_metadata_keeps_page_fields() -> None:
    meta = clean.extract_metadata(clean.normalize_unicode(WEB_PAGE))
    assert meta["published"] == "2025-03-06 15:32"
    assert meta["publisher"] == "邵东市人民政府办公室"
    assert meta["editor"] == "邵东市人民政府办公室"
    assert meta["doc_number"] == "邵东政办发〔2025〕2号"
    assert meta["title"] == "邵东市人民政府办公室关于印发《邵东市实施“七大攻坚”总体方案》的通知"


def test_wikisource_licence_trailer_is_stripped() -> None:
    text = "报告正文。\n\n本作品是中华人民共和国的\n法律\n、\n法规\n，属于\n公有领域\n。\n\nPublic domain\nfalse\n"
    assert clean.pipeline(text) == "报告正文。"


# Hard-wrapped newspaper columns (seed 000): lines of ~16 characters.
COLUMN = """这十年，残疾人社会保障得到夯
实，残疾人脱贫解困取得显著成效，全
市 2 万余名被纳入建档立卡户的贫困
残疾人全部摘掉“贫困户”帽子，在追
逐“小康梦”大道上阔步前行。

残疾人事业是“春天的事业”。十
年筑梦，长沙交出了一份“春天事业”
的温暖答卷。
夯实保障，托起残疾人的“小康梦”

这十年，我国历史性地解决了困
扰中华民族几千年的绝对贫困问题，

如今，段仁义一年仅卖蜂蜜就有

10 万多元收入。他还带动 98 名贫困户
通过养蜜蜂脱贫，其中 42 名为残疾人
贫困户。

多措并举，助力残疾人实现“就业梦”
就业是最大的民生，是实现共同

富裕的关键。
"""


def test_dewrap_joins_column_lines_but_not_headlines() -> None:
    out = clean.pipeline(COLUMN).split("\n")
    assert out[0] == ("这十年，残疾人社会保障得到夯实，残疾人脱贫解困取得显著成效，全市2万余名被纳入建档立卡户的"
                      "贫困残疾人全部摘掉“贫困户”帽子，在追逐“小康梦”大道上阔步前行。")
    assert out[1] == "残疾人事业是“春天的事业”。十年筑梦，长沙交出了一份“春天事业”的温暖答卷。"
    # The section headline stays on its own line, glued neither to the paragraph before it nor
    # to the one after it.
    assert out[2] == "夯实保障，托起残疾人的“小康梦”"
    assert out[3].startswith("这十年，我国历史性地解决了困扰中华民族几千年的绝对贫困问题，")
    # A wrapped line continues across a blank line left by the PDF extractor.
    assert "如今，段仁义一年仅卖蜂蜜就有10万多元收入。" in "".join(out)
    assert "多措并举，助力残疾人实现“就业梦”" in out
    assert "就业是最大的民生，是实现共同富裕的关键。" in out


def test_dewrap_rejoins_heading_broken_inside_quotes() -> None:
    text = "邵东市人民政府办公室\n\n关于印发《邵东市实施“七大攻坚”\n\n总体方案》的通知\n\n正文很长的第一段内容，写了很多很多字，超过了标题的长度。"
    out = clean.pipeline(text).split("\n")
    assert out[0] == "邵东市人民政府办公室关于印发《邵东市实施“七大攻坚”总体方案》的通知"


def test_captions_and_image_credits_are_removed(cleaned_seeds: dict[str, str]) -> None:
    s000 = cleaned_seeds["000_99b0c8ee233b9a7d.txt"]
    s001 = cleaned_seeds["001_0b186be64541f9a4.txt"]
    for junk in ("长沙市残联供图", "浏阳凝馨残疾人服务中心为服务对象提供辅助性就业", "融媒体中心提供",
                 "在这片美丽的土地上①", "湖南中核金原新材料有限责任公司是目前全国唯一"):
        assert junk not in s000
    for junk in ("本文图片均由", "高科技新材料产业园一角。", "4月份，邵阳县高新区机关党支部在塘田战时讲学院开展主题党日活动。"):
        assert junk not in s001
    # The byline that shared a line with a photo label survives.
    assert "陈羽唯 唐兰荣 唐曦" in s000.split("\n")


def test_seed_pages_have_no_spaced_out_characters(cleaned_seeds: dict[str, str]) -> None:
    spaced = re.compile(f"[{clean.CJK}] [{clean.CJK}] [{clean.CJK}]")
    for name, text in cleaned_seeds.items():
        assert not spaced.search(text), (name, spaced.search(text))
        assert " 、" not in text and " ，" not in text


def test_seed_pages_have_no_web_boilerplate(cleaned_seeds: dict[str, str]) -> None:
    for text in cleaned_seeds.values():
        for junk in ("当前位置", "分享到", "扫一扫在手机打开当前页", "打印本页", "关闭窗口", "设为首页",
                     "加入收藏", "主办单位", "ICP备", "网站标识码"):
            assert junk not in text


def test_pipeline_is_idempotent_on_seeds(cleaned_seeds: dict[str, str]) -> None:
    for text in cleaned_seeds.values():
        assert clean.pipeline(text) == text


def test_t2s_converts_traditional() -> None:
    assert clean.pipeline("優化營商環境，推動高質量發展", t2s=True) == "优化营商环境，推动高质量发展"


def test_byline_and_credit_detection() -> None:
    assert clean.is_byline("陈志强 罗雯艳 李瀚杰")
    assert clean.is_byline("欧阳修 李明")
    assert not clean.is_byline("服务有温度 办事零距离")
    assert clean.is_credit("（邓先治 陈长龙）") == "邓先治 陈长龙"
    assert clean.is_credit("…进企业7次。（麦天文）") == "麦天文"
    assert clean.is_credit("8.康复救助残疾儿童。（市残联）") is None
    assert clean.is_credit("中国（邵阳）") is None


_ALPHABET = st.sampled_from(
    list("政府工作报告营商环境高质量发展贫困残疾人十年筑梦，。！？；：“”（）《》、 \n\n\n0123456789.%abc")
    + ["\u3000", "\u200b", "\ud800", "\x00", "①", "——", "（邓先治 陈长龙）", "供图", "附件1"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=120).map("".join))
def test_pipeline_is_total_and_idempotent(text: str) -> None:
    once = clean.pipeline(text)
    assert clean.pipeline(once) == once


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_pipeline_never_raises_on_any_text(text: str) -> None:
    out = clean.pipeline(text)
    assert isinstance(out, str)
    assert clean.pipeline(out) == out


def _is_subsequence(small: list[str], big: list[str]) -> bool:
    it = iter(big)
    return all(ch in it for ch in small)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=120).map("".join))
def test_pipeline_keeps_cjk_in_order(text: str) -> None:
    """Cleaning only deletes (boilerplate, captions, credits): every Chinese character left is in
    the input, in the same order; and text without such lines loses no character."""
    out = clean.pipeline(text)
    assert _is_subsequence(CJK_RE.findall(out), CJK_RE.findall(text))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(list("政府工作报告营商环境高质量发展，。、 \n0123")), max_size=80).map("".join))
def test_pipeline_keeps_every_cjk_char_of_plain_prose(text: str) -> None:
    out = clean.pipeline(text)
    assert CJK_RE.findall(out) == CJK_RE.findall(text)
