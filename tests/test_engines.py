"""The two segmentation engines behind the Segmenter seam: jieba (the reference) and jieba-rs
(``fast``, the default by measurement). Both get the policy dictionary, user dictionaries and
figure handling; this file measures how far they agree and pins every known difference.

Measured on the seeds (31 articles, 72,832 characters) after the parity fixes in
``analysis/segment.py``:

* ``cut``: 37,681 tokens, identical (before the fixes jieba-rs kept ASCII runs such as
  2025-03-06, 0731-8888888, COVID-19, a_b and 1.5.3 whole where jieba splits them);
* ``tag`` (POS, ``--pos``): about 96% of the tokens agree. The rest are jieba's posseg
  model, which is not jieba-rs's: posseg segments unknown words with its own HMM (经 开区 vs
  经开区, 线 上 vs 线上), tags ``1.`` as one numeral where jieba-rs gives ``1`` ``.``, and tags
  some ordinary words differently (托养 nr vs v). Dictionary words take the dictionary's POS in
  both engines.
"""

from __future__ import annotations

import difflib

import pytest
from policytext.analysis.segment import DictEntry, Segmenter

ENGINES = ("jieba", "fast")


@pytest.fixture(scope="module")
def engines() -> dict[str, Segmenter]:
    return {e: Segmenter(engine=e) for e in ENGINES}


@pytest.fixture(scope="module")
def seed_article_texts(seed_documents) -> list[str]:
    return [a.text for d in seed_documents for a in d.articles]


def test_cut_is_identical_on_the_seeds(engines, seed_article_texts) -> None:
    total = 0
    for text in seed_article_texts:
        a, b = engines["jieba"].cut(text), engines["fast"].cut(text)
        assert a == b, [op for op in difflib.SequenceMatcher(None, a, b).get_opcodes()
                        if op[0] != "equal"][:5]
        total += len(a)
    assert total > 30_000  # the comparison covered the seeds, not an empty list


@pytest.mark.parametrize(
    "text",
    [
        "2025-03-06召开会议", "电话0731-8888888", "COVID-19疫情防控", "e-mail地址", "a_b测试",
        "1.5.3版本", "U.S.A", "ABC-123号", "PM2.5浓度下降", "5G基站", "增长3.14%", "x&y公司",
        "第1-2条", "GDP增长6.5%左右", "ISO9001认证", "1+1+N", "a--b", "-5",
    ],
)
def test_cut_agrees_on_ascii_runs(engines, text: str) -> None:
    """The parity fix: jieba-rs's ASCII runs are re-split the way jieba splits them."""
    assert engines["fast"].cut(text) == engines["jieba"].cut(text)


def test_policy_terms_and_figures_are_whole_in_both(engines) -> None:
    text = "持续优化营商环境，GDP增长6.5%，完成投资145亿元，新增就业2万余名，1—11月由市发改局牵头。"
    for seg in engines.values():
        tokens = seg.cut(text)
        for whole in ("营商环境", "6.5%", "145亿元", "2万余名", "1—11月", "市发改局"):
            assert whole in tokens, (seg.engine, tokens)


def test_user_entries_apply_to_both() -> None:
    entry = DictEntry("湘易办", 50000, "nz", "test")
    for engine in ENGINES:
        seg = Segmenter(engine=engine, user_entries=[entry])
        assert "湘易办" in seg.cut("群众通过湘易办办理业务"), engine
        assert ("湘易办", "nz") in seg.tag("群众通过湘易办办理业务"), engine


def test_dictionary_pos_is_the_dictionarys_in_both(engines) -> None:
    # 市政府办 is "nt" in the policy dictionary; jieba-rs on its own says "n".
    for seg in engines.values():
        assert ("市政府办", "nt") in seg.tag("市政府办印发通知"), seg.engine


def test_word_freq_is_the_same_dictionary(engines) -> None:
    for word in ("发动机", "洼地", "的", "营商环境", "放管服", "不是一个词吧"):
        assert engines["fast"].word_freq(word) == engines["jieba"].word_freq(word), word
    assert engines["fast"].word_freq("发动机") > 0
    assert engines["fast"].word_freq("不是一个词吧") == 0


def test_tag_agreement_on_the_seeds_is_measured(engines, seed_article_texts) -> None:
    """Tags differ where jieba's posseg model differs (see the module docstring); the
    agreement is pinned so that a regression in either engine shows."""
    same = total = 0
    kinds: set[str] = set()
    for text in seed_article_texts:
        a, b = engines["jieba"].tag(text), engines["fast"].tag(text)
        sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
        for op, i1, i2, j1, j2 in sm.get_opcodes():
            total += i2 - i1
            if op == "equal":
                same += i2 - i1
            else:
                kinds.add("split" if (i2 - i1) != (j2 - j1) else "tag")
    assert total > 30_000
    assert same / total > 0.95, same / total
    assert kinds <= {"split", "tag"}


def test_numbered_item_is_the_documented_tag_difference(engines) -> None:
    assert engines["jieba"].tag("1.加强")[0] == ("1.", "m")
    assert engines["fast"].tag("1.加强")[:2] == [("1", "m"), (".", "x")]
    # ... while the tokens of cut() agree.
    assert engines["jieba"].cut("1.加强") == engines["fast"].cut("1.加强") == ["1", ".", "加强"]
