"""Benchmark the safety screen: per-reply latency (p50, p90, p99) and how often its reader is asked.

Run: ``.venv/bin/python bench/screen_bench.py [--replies N] [--seed S]``.
The replies are the coder bench's generated listening replies (bench/coder_bench.py), with one in
``HEAVY_EVERY`` replaced by a heavier one written here (sadness, tiredness, family, work), the kind
that makes the screen's linear model unsure and so asks the reader. No labelled or calibration
replies are read. Targets: p50 under 1 ms (every reply is screened before grading); the reader's
own cost is printed per call.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.coder_bench import generate, percentile
from trainer.safety.screen import READ_FROM, default_screen, load_screen

TARGET_P50_MS = 1.0
HEAVY_EVERY = 10
HEAVY = (
    "I've been so tired lately, I just don't have the energy for anything after work.",
    "My dad has been in hospital all week and I keep thinking about what happens if he doesn't come home.",
    "Honestly I feel like nobody at home notices anything I do.",
    "I'm sorry, I've been on my phone because my sister keeps texting me about mum.",
    "It sounds like you feel completely alone with it, and that hurts to hear.",
    "I'm not sleeping much since the move, everything feels heavy.",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--replies", type=int, default=3_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--without-reader", action="store_true", help="the screen before its reader")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)

    started = time.perf_counter()
    screen = load_screen(read=False) if args.without_reader else default_screen()
    construction_ms = (time.perf_counter() - started) * 1000
    cases = [(reply, context.partner) for reply, context in generate(args.replies, args.seed)]
    cases = [
        (rng.choice(HEAVY), partner) if i % HEAVY_EVERY == 0 else (r, partner)
        for i, (r, partner) in enumerate(cases)
    ]
    for reply, partner in cases[:100]:  # warm up
        screen.check(reply, partner)

    latencies: list[float] = []
    asked = 0
    clock = time.perf_counter
    for reply, partner in cases:
        asked += screen.risk_probability(reply, partner) >= READ_FROM
        before = clock()
        screen.check(reply, partner)
        latencies.append(clock() - before)
    latencies.sort()
    reader = screen.reader
    reads: list[float] = []
    if reader is not None:
        for text in HEAVY * 20:
            before = clock()
            reader.read(screen.own_words(text))
            reads.append(clock() - before)
        reads.sort()

    def ms(value: float) -> str:
        return f"{value * 1000:8.3f} ms"

    p50 = percentile(latencies, 0.50)
    print(f"safety screen: {len(cases)} generated replies, one in {HEAVY_EVERY} heavy; one process")
    print(f"construction  {construction_ms:8.1f} ms")
    verdict = "PASS" if p50 * 1000 < TARGET_P50_MS else "MISS"
    print(f"latency p50   {ms(p50)}   (target < {TARGET_P50_MS:.1f} ms) {verdict}")
    print(f"latency p90   {ms(percentile(latencies, 0.90))}")
    print(f"latency p99   {ms(percentile(latencies, 0.99))}")
    print(f"reader asked  {asked / len(cases):8.1%}   of replies (the linear model's risk >= {READ_FROM})")
    if reads:
        print(f"reader p50    {ms(percentile(reads, 0.50))}   per heavy reply read")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
