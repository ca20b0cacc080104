"""Result dicts shaped like the JSON of keywords, cluster (themes) and numbers, built from the
seed corpus's real document ids, so the report and plot tests cover every section before those
commands land (and whatever they compute)."""

from __future__ import annotations

from typing import Any

HOSTILE = '<script>alert("x")</script>"><img src=x onerror=alert(1)>'


def keywords(docs: list[dict[str, Any]]) -> dict[str, Any]:
    terms = [("高质量发展", 0.91), ("营商环境", 0.74), ("乡村振兴", 0.55), ("七大攻坚", 0.5),
             ("城镇化率", 0.31), (HOSTILE, 0.2)]
    first = docs[0]
    return {
        "keywords": [
            {"term": t, "score": s, "tf": 10 - i, "df": 2,
             "top_docs": [{"doc": d["doc"], "source": d["source"], "weight": s / (j + 1)}
                          for j, d in enumerate(docs[:2])]}
            for i, (t, s) in enumerate(terms)
        ],
        "documents": [
            {"doc": a["doc"], "source": d["source"], "title": a["title"],
             "keywords": [{"term": t, "score": s, "tf": 3} for t, s in terms[k % 3:k % 3 + 3]]}
            for k, d in enumerate(docs) for a in d["articles"][:1]
        ] + [{"doc": first["articles"][-1]["doc"], "source": first["source"],
              "title": "末篇", "keywords": [{"term": "独有关键词", "score": 0.1, "tf": 1}]}],
        "groups": [],
    }


def themes(docs: list[dict[str, Any]]) -> dict[str, Any]:
    names = ["产业发展", "营商环境", HOSTILE]
    clusters = [{"cluster": i, "name": n, "theme": n, "size": 0, "terms": [n, "发展", "推进"],
                 "docs": []} for i, n in enumerate(names)]
    documents = []
    for k, d in enumerate(docs):
        c = k % 3
        clusters[c]["size"] += 1
        clusters[c]["docs"].append(d["doc"])
        documents.append({"doc": d["doc"], "source": d["source"], "title": d["title"],
                          "cluster": c, "theme": names[c], "score": 0.5,
                          "x": float(k), "y": float((k * 7) % 5)})
    return {"clusters": clusters, "documents": documents}


def numbers(docs: list[dict[str, Any]]) -> dict[str, Any]:
    rows = []
    for k, d in enumerate(docs):
        art = d["articles"][0]["doc"]
        rows.append({"doc": art, "source": d["source"], "start": 10 + k, "end": 14 + k,
                     "text": f"{6 + k}.5%", "indicator": "地区生产总值增长", "value": 6.5 + k,
                     "unit": "%", "qualifier": "左右", "kind": "target", "period": "2025",
                     "context": f"地区生产总值增长{6 + k}.5%左右"})
    rows.append({"doc": docs[0]["doc"], "source": docs[0]["source"], "start": 1, "end": 5,
                 "text": "145亿元", "indicator": HOSTILE, "value": 145e8, "unit": "元",
                 "qualifier": "", "kind": "amount", "period": None, "context": HOSTILE})
    return {
        "numbers": rows,
        "indicators": [
            {"indicator": "地区生产总值增长", "count": len(docs), "docs": len(docs),
             "values": [r["text"] for r in rows[:-1]]},
            {"indicator": HOSTILE, "count": 1, "docs": 1, "values": ["145亿元"]},
        ],
    }


def themes_with_theme_objects(docs: list[dict[str, Any]]) -> dict[str, Any]:
    """The same themes with the cluster command's richer spelling: clusters keyed ``id`` and
    themes as ``{"id", "name", "score"}`` objects (None for an unthemed cluster)."""
    data = themes(docs)
    for c in data["clusters"]:
        c["id"] = c.pop("cluster")
        c["theme"] = {"id": f"t{c['id']}", "name": c["theme"], "score": 0.4}
    data["clusters"][-1]["theme"] = None
    for d in data["documents"]:
        d["theme"] = {"id": f"t{d['cluster']}", "name": d["theme"], "score": 0.4}
        d["similarity"], d["outlier"] = 0.5, False
    return data
