"""Streamed outputs (:class:`Each`, :class:`Later`, :class:`Sink`) give the bytes a plain
:class:`Output` gives, and a failed write leaves nothing behind."""

from __future__ import annotations

import io
import json
import os
import stat
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from policytext.cli import render
from policytext.cli.render import Each, Later, Output, OutputError, Sink, emit

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                    st.text(max_size=8), st.floats(allow_nan=False, allow_infinity=False))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=5), inner, max_size=4), max_leaves=12)
records = st.lists(st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), values, min_size=1),
                   max_size=6)


def _streamed(data: dict, key: str, lazy_keys: set[str]) -> dict:
    out = {}
    for k, v in data.items():
        if k == key:
            out[k] = Each(iter(v))
        elif k in lazy_keys:
            out[k] = Later(lambda v=v: v)
        else:
            out[k] = v
    return out


@settings(max_examples=150, deadline=None)
@given(recs=records, rest=st.dictionaries(st.text(max_size=4), values, max_size=4),
       lazy=st.sets(st.text(max_size=4)), nested=st.booleans())
def test_each_and_later_render_exactly_like_lists(recs, rest, lazy, nested) -> None:
    data = {"items": recs, **{k: v for k, v in rest.items() if k != "items"}}
    lazy = lazy | set(list(data)[1:2])
    streamed = _streamed(data, "items", lazy)
    if nested:  # a streamed list inside an object inside the top object
        data = {"head": 1, "inner": data}
        streamed = {"head": 1, "inner": streamed}
    buf = io.StringIO()
    render._write_json(streamed, 0, buf.write)
    assert buf.getvalue() + "\n" == render._json(data)


@settings(max_examples=100, deadline=None)
@given(recs=records, for_file=st.booleans(), cols=st.booleans())
def test_csv_and_jsonl_lines_join_to_the_plain_text(recs, for_file, cols) -> None:
    columns = ["a", "b", "c"] if cols else None
    assert "".join(render._csv_lines(iter(recs), columns, for_file=for_file)) == render._csv(
        recs, columns, for_file=for_file)
    assert "".join(render._jsonl_lines(iter(recs))) == render._jsonl(recs)


def test_each_can_be_read_once() -> None:
    e = Each([{"a": 1}])
    assert list(e) == [{"a": 1}]
    with pytest.raises(RuntimeError):
        list(e)


def test_later_is_computed_once_and_only_after_what_comes_before() -> None:
    seen: list[str] = []

    def items():
        for i in range(3):
            seen.append(f"item{i}")
            yield {"i": i}

    def total():
        seen.append("total")
        return len([s for s in seen if s.startswith("item")])

    later = Later(total)
    data = {"items": Each(items()), "total": later}
    buf = io.StringIO()
    render._write_json(data, 0, buf.write)
    assert seen == ["item0", "item1", "item2", "total"]
    assert json.loads(buf.getvalue())["total"] == 3
    assert later.get() == 3 and seen.count("total") == 1


def test_a_list_of_scalars_cannot_be_streamed() -> None:
    with pytest.raises(TypeError):
        render._write_json({"x": Each([1, 2])}, 0, io.StringIO().write)


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
def test_emit_streamed_equals_emit_plain(tmp_path, fmt) -> None:
    recs = [{"doc": "d#1", "n": i, "text": "=1+1" if i == 1 else f"第{i}"} for i in range(5)]
    rest = {"summary": [{"count": 5}], "errors": ["x: bad"]}
    plain = Output(data={"items": recs, **rest}, records=recs, csv_columns=["doc", "n", "text"])
    each = Each(iter(recs))
    streamed = Output(data={"items": each, "summary": Later(lambda: rest["summary"]),
                            "errors": rest["errors"]},
                      records=each, csv_columns=["doc", "n", "text"])
    assert streamed.streamed and not plain.streamed
    a, b = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
    emit(plain, fmt=fmt, output=str(a))
    emit(streamed, fmt=fmt, output=str(b))
    assert a.read_bytes() == b.read_bytes() and len(a.read_bytes()) > 40


def test_emit_streamed_table_keeps_rows(capsys) -> None:
    recs = [{"w": "甲"}, {"w": "乙"}]
    out = Output(data={"items": Each(iter(recs))}, records=Each(iter(recs)),
                 tables=lambda rows: [render.Table(f"{len(rows)} rows",
                                                   [render.Column("w", "w")], rows)])
    emit(out, fmt="table")
    text = capsys.readouterr().out
    assert "2 rows" in text and "甲" in text and "乙" in text


# --- Sink ------------------------------------------------------------------------------------


def test_sink_renames_into_place_with_a_plain_mode(tmp_path) -> None:
    target = tmp_path / "out.txt"
    with Sink(str(target), ()) as sink:
        sink.write("一")
        sink.write("二\n")
        assert not target.exists()  # nothing visible before the end
        assert len(list(tmp_path.iterdir())) == 1
    assert target.read_text(encoding="utf-8") == "一二\n"
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    assert list(tmp_path.iterdir()) == [target]


def test_sink_leaves_nothing_on_failure(tmp_path) -> None:
    target = tmp_path / "out.txt"
    with pytest.raises(ValueError), Sink(str(target), ()) as sink:
        sink.write("half")
        raise ValueError("stop")
    assert list(tmp_path.iterdir()) == []
    target.write_text("keep", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt), Sink(str(target), ()) as sink:
        sink.write("half")
        raise KeyboardInterrupt
    assert target.read_text(encoding="utf-8") == "keep"
    assert list(tmp_path.iterdir()) == [target]


def test_sink_refuses_inputs_directories_and_missing_dirs(tmp_path) -> None:
    from policytext.analysis.models import InputError

    src = tmp_path / "in.txt"
    src.write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="refusing to overwrite"), Sink(str(src), [str(src)]):
        pass
    with pytest.raises(OutputError, match="is a directory"), Sink(str(tmp_path), ()):
        pass
    with pytest.raises(OutputError, match="cannot write"), Sink(str(tmp_path / "a" / "b"), ()):
        pass
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.txt"]


def test_sink_without_a_path_is_stdout(capsys) -> None:
    for output in (None, "-"):
        with Sink(output, ()) as sink:
            sink.write("hello\n")
        assert capsys.readouterr().out == "hello\n"
    assert sys.stdout is not None
