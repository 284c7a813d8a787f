# ruff: noqa: E501  (inline CSS and SVG markup read better unwrapped)
"""The report as one self-contained HTML page: inline CSS and SVG charts, no external assets."""

from __future__ import annotations

from html import escape

from trainer.evals.results import EvalReport

CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem auto;max-width:1100px;color:#1d2330;padding:0 1rem}
h1{font-size:1.6rem;margin:0} h2{font-size:1.2rem;margin-top:2.2rem;border-bottom:1px solid #dde;padding-bottom:.3rem}
.meta{color:#667;margin:.3rem 0 1.2rem}
.cards{display:flex;flex-wrap:wrap;gap:.8rem}
.card{border:1px solid #dde;border-radius:8px;padding:.7rem 1rem;min-width:150px}
.card b{display:block;font-size:1.5rem} .ok{color:#17803d} .bad{color:#c0392b}
.grid{display:flex;flex-wrap:wrap;gap:1.2rem}
table{border-collapse:collapse;margin:.5rem 0} td,th{padding:.25rem .6rem;border-bottom:1px solid #eef;text-align:left}
.fail{background:#fdecea;border-left:4px solid #c0392b;padding:.6rem 1rem;border-radius:4px}
.pass{background:#e9f7ef;border-left:4px solid #17803d;padding:.6rem 1rem;border-radius:4px}
small{color:#667}
"""


def _heat(value: int, peak: int) -> str:
    share = value / peak if peak else 0.0
    light = round(97 - share * 55)
    return f"hsl(215,70%,{light}%)"


def confusion_svg(name: str, matrix: list[list[int]]) -> str:
    cell, pad = 46, 70
    size = pad + cell * len(matrix) + 10
    peak = max((max(row) for row in matrix), default=0)
    parts = [
        f'<svg width="{size}" height="{size + 24}" role="img" aria-label="confusion {escape(name)}">',
        f'<text x="{pad}" y="14" font-weight="600">{escape(name)}</text>',
        f'<text x="{pad}" y="{size + 20}" font-size="11" fill="#667">predicted score →</text>',
        f'<text x="12" y="{pad + 8}" font-size="11" fill="#667" transform="rotate(-90 12 {pad + 8})"'
        ' text-anchor="end">expected ↓</text>',
    ]
    for i, row in enumerate(matrix):
        parts.append(f'<text x="{pad - 8}" y="{pad + i * cell + cell / 2 + 4}" text-anchor="end">{i}</text>')
        parts.append(f'<text x="{pad + i * cell + cell / 2}" y="{pad - 8}" text-anchor="middle">{i}</text>')
        for j, value in enumerate(row):
            x, y = pad + j * cell, pad + i * cell
            stroke = ' stroke="#17803d" stroke-width="2"' if i == j else ' stroke="#fff"'
            colour = "#fff" if peak and value / peak > 0.6 else "#1d2330"
            parts.append(
                f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="{_heat(value, peak)}"{stroke}/>'
            )
            parts.append(
                f'<text x="{x + cell / 2}" y="{y + cell / 2 + 4}" text-anchor="middle" fill="{colour}">{value}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def bars_svg(rows: list[tuple[str, float]], *, width: int = 520, good: float = 0.7) -> str:
    bar_h, label_w = 22, 190
    height = bar_h * len(rows) + 24
    parts = [f'<svg width="{width + label_w + 60}" height="{height}" role="img">']
    for k in range(0, 5):
        x = label_w + width * k / 4
        parts.append(f'<line x1="{x}" y1="0" x2="{x}" y2="{height - 18}" stroke="#eef"/>')
        parts.append(
            f'<text x="{x}" y="{height - 4}" font-size="11" text-anchor="middle" fill="#667">{k / 4:.2f}</text>'
        )
    for index, (label, value) in enumerate(rows):
        y = index * bar_h
        colour = "#17803d" if value >= good else ("#e0a526" if value >= good / 2 else "#c0392b")
        parts.append(f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">{escape(label)}</text>')
        parts.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{max(1.0, value * width):.1f}" height="{bar_h - 6}" rx="3" fill="{colour}"/>'
        )
        parts.append(
            f'<text x="{label_w + value * width + 6:.1f}" y="{y + 15}" font-size="12">{value:.2f}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _card(title: str, value: str, ok: bool | None = None) -> str:
    tone = "" if ok is None else (' class="ok"' if ok else ' class="bad"')
    return f'<div class="card"><small>{escape(title)}</small><b{tone}>{escape(value)}</b></div>'


def render_html(report: EvalReport) -> str:
    m = report.metrics
    body: list[str] = [
        f"<h1>trainer eval · {escape(report.engine)} engine</h1>",
        f'<p class="meta">{escape(report.started_at)} · suites {escape(", ".join(report.suites))} · '
        f"repeat {report.repeat} · {report.seconds:.1f} s</p>",
    ]
    if report.gate_failures:
        items = "".join(f"<li>{escape(f)}</li>" for f in report.gate_failures)
        body.append(f'<div class="fail"><b>Gate failed</b><ul>{items}</ul></div>')
    else:
        body.append('<div class="pass"><b>Every threshold holds.</b></div>')
    cards = []
    if "replies.code_f1_macro" in m:
        cards.append(_card("code F1 (macro)", f"{m['replies.code_f1_macro']:.2f}"))
        cards.append(_card("replies scored", f"{m['replies.cases'] - m.get('replies.errors', 0):.0f}"))
        cards.append(
            _card("judge answers unscored", f"{m['replies.unscored']:.0f}", m["replies.unscored"] == 0)
        )
    if "adversarial.raised_score" in m:
        cards.append(
            _card(
                "attacks that raised a score",
                f"{m['adversarial.raised_score']:.0f}",
                m["adversarial.raised_score"] == 0,
            )
        )
    if "conversations.pass_rate" in m:
        cards.append(_card("conversations passed", f"{m['conversations.pass_rate']:.0%}"))
    if report.spent.calls:
        cards.append(
            _card(
                "model calls · tokens",
                f"{report.spent.calls} · {report.spent.input_tokens + report.spent.output_tokens:,}",
            )
        )
        cards.append(_card("cost", f"${report.spent.cost_usd:.4f}"))
    body.append(f'<div class="cards">{"".join(cards)}</div>')
    if report.replies:
        body.append("<h2>Behaviour codes: F1 per code</h2>")
        rows = [
            (name.split(".")[2], value)
            for name, value in sorted(m.items())
            if name.startswith("replies.code.") and name.endswith(".f1")
        ]
        body.append(bars_svg(rows))
        table = [
            "<table><tr><th>code</th><th>precision</th><th>recall</th><th>F1</th><th>kappa</th><th>support</th></tr>"
        ]
        for code, _ in rows:
            p = f"replies.code.{code}"
            table.append(
                f"<tr><td>{escape(code)}</td>"
                + "".join(
                    f"<td>{m.get(f'{p}.{k}', 0):.2f}</td>" for k in ("precision", "recall", "f1", "kappa")
                )
                + f"<td>{m.get(f'{p}.support', 0):.0f}</td></tr>"
            )
        body.append("".join(table) + "</table>")
        body.append('<h2>Rubric scores: expected against predicted</h2><div class="grid">')
        for name, matrix in report.confusion.items():
            p = f"replies.rubric.{name}"
            caption = (
                f"<small>weighted κ {m.get(f'{p}.weighted_kappa', 0):.2f} · exact {m.get(f'{p}.exact', 0):.0%}"
                f" · within one {m.get(f'{p}.within_one', 0):.0%}</small>"
            )
            body.append(f"<div>{confusion_svg(name, matrix)}<br>{caption}</div>")
        body.append("</div>")
    if report.conversations:
        body.append("<h2>Conversations: pass rate per scenario</h2>")
        rows = [
            (name.split(".")[2], value)
            for name, value in sorted(m.items())
            if name.startswith("conversations.scenario.")
        ]
        body.append(bars_svg(rows, good=0.99))
        failed = [o for o in report.conversations if not o.passed]
        if failed:
            items = "".join(f"<tr><td>{escape(o.id)}</td><td>{escape(o.why)}</td></tr>" for o in failed)
            body.append(
                f"<h3>Where they diverged</h3><table><tr><th>conversation</th><th>first divergence</th></tr>{items}</table>"
            )
    if report.adversarial:
        broken = [o for o in report.adversarial if not o.passed]
        body.append(
            f"<h2>Adversarial replies: {len(report.adversarial) - len(broken)} of {len(report.adversarial)} held</h2>"
        )
        if broken:
            items = "".join(
                f"<tr><td>{escape(o.id)}</td><td>{escape(o.attack)}</td><td>{escape('; '.join(o.violations))}</td></tr>"
                for o in broken
            )
            body.append(f"<table><tr><th>case</th><th>attack</th><th>what broke</th></tr>{items}</table>")
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>trainer eval · {escape(report.engine)}</title>'
        f"<style>{CSS}</style></head><body>{''.join(body)}</body></html>"
    )
