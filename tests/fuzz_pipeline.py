"""An atheris fuzz target: decode -> clean -> split (-> slogans and numbers once present).

Run it briefly (as the test suite does):

    python tests/fuzz_pipeline.py -seed=1 -max_total_time=60

or for as long as you like, keeping a corpus of interesting inputs between runs:

    mkdir -p fuzz-corpus && python tests/fuzz_pipeline.py fuzz-corpus -max_total_time=3600

Any exception other than InputError (a clean rejection of bad bytes) is a crash, and so is an
article whose spans do not slice the cleaned text back to its body.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["policytext"]):
    from policytext.analysis import clean
    from policytext.analysis.models import InputError
    from policytext.analysis.pipeline import ReadOptions, build_document

_EXTRA = []
try:  # analyses that report positions, when they exist
    with atheris.instrument_imports(include=["policytext"]):
        from policytext.analysis import numbers as _numbers  # type: ignore[attr-defined]
    _EXTRA.append(("numbers", _numbers))
except ImportError:
    pass
try:
    with atheris.instrument_imports(include=["policytext"]):
        from policytext.analysis import slogans as _slogans  # type: ignore[attr-defined]
    _EXTRA.append(("slogans", _slogans))
except ImportError:
    pass


def _check(doc) -> None:
    text = doc.text
    assert clean.pipeline(text) == text, "cleaning is not idempotent"
    for art in doc.articles:
        body = "".join(s.glue + text[s.start : s.end] for s in art.spans if s.role == "body")
        assert body == art.body, "spans do not slice the cleaned text"


def TestOneInput(data: bytes) -> None:  # noqa: N802 - atheris' name
    fdp = atheris.FuzzedDataProvider(data)
    split = fdp.ConsumeBool()
    payload = fdp.ConsumeBytes(fdp.remaining_bytes())
    try:
        doc, _warnings = build_document(payload, doc_id="fuzz", source="fuzz",
                                        options=ReadOptions(split=split))
    except InputError:
        return
    _check(doc)
    for _name, module in _EXTRA:
        runner = getattr(module, "fuzz_entry", None)
        if runner is not None:
            runner(doc)


def main() -> None:
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
