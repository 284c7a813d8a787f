"""Benchmark the offline rules coder: replies per second and per-reply latency (p50, p99).

Run: ``.venv/bin/python bench/coder_bench.py [--replies N] [--seed S]``.
The replies are generated here from templates (no calibration data): a mix of reflections,
questions, advice, dismissals, self-talk, repairs and chat-style writing, each with a partner line.
Targets (docs/design.md): >= 5,000 replies/s in one process, p99 < 1 ms per reply.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from trainer.coding.coder import RulesCoder
from trainer.vocabulary.grades import GradeContext, KeyPointRef

TARGET_RATE = 5_000.0
TARGET_P99_MS = 1.0
TARGET_LONG_MS = 100.0
# Replies at the API's length limit, built to make a backtracking pattern blow up (issue 16: one
# defensiveness pattern once took 7 s on 20,000 repetitions of "so "). Cost must stay linear.
LONG_REPLIES = {
    '"so " x 20,000': "so " * 20_000,
    '"so, " x 15,000': "so, " * 15_000,
    "60,000 characters of talk": ("I hear you, and honestly I was there too when my boss did that. " * 940)[
        :60_000
    ],
}

PARTNER_LINES = (
    "My manager took credit for the report I spent three weekends on, and nobody said a word.",
    "I keep doing all the cleaning at home and it feels like no one even notices.",
    "My sister cancelled on me again, the third time this month, and I'm just tired of it.",
    "I didn't get the place on the course and I honestly don't know what to do next.",
    "Ever since the move I've felt really lonely, like I don't have anyone to talk to.",
    "I'm scared about the test results and I can't stop thinking about them.",
)
OPENERS = ("", "Okay. ", "Hmm, ", "Right, ", "Oh no. ", "I see. ", "Wow. ")
BODIES = (
    "It sounds like you felt invisible when your work went unrecognised.",
    "So you've been carrying all of this on your own and nobody seems to see it.",
    "That makes sense, anyone would feel hurt after putting in that much.",
    "What was the hardest part of it for you?",
    "Tell me more about what happened after that.",
    "Did you talk to anyone about it?",
    "Have you tried just telling them how you feel?",
    "Why don't you write it all down and send it to her?",
    "You should talk to HR tomorrow morning.",
    "At least you still have a job, it could be worse.",
    "I get it, but you're overreacting a little.",
    "Don't worry, everything will work out fine.",
    "That happened to me too last year, my boss did the same thing.",
    "I'm tired too, honestly, I had a really long week.",
    "I'm sorry, I wasn't really listening, can I try again?",
    "That's not fair, I was only trying to help.",
    "Do you want ideas or do you just want me to listen?",
    "Is that right? Did I get that?",
    "I'm so sorry you went through that, it hurts me to see you like this.",
    "Oh sure, poor you.",
    "i hear u, thats rough tbh lol",
    "ur not alone in this 💛 what would help most right now",
    "no wonder ur upset, u worked so hard on it",
    "Maybe you could ask for a meeting to go over it?",
    "You feel like nobody notices how much you do, and that leaves you exhausted and unseen.",
)
CLOSERS = ("", " Is that right?", " What do you think?", " I'm here.", " lol", " :(")


def generate(count: int, seed: int) -> list[tuple[str, GradeContext]]:
    rng = random.Random(seed)
    cases: list[tuple[str, GradeContext]] = []
    key_points = (
        KeyPointRef(id="unseen", cues=("unseen", "invisible", "nobody notices")),
        KeyPointRef(id="effort", cues=("worked so hard", "three weekends", "all the cleaning")),
    )
    for _ in range(count):
        sentences = rng.randint(1, 3)
        reply = rng.choice(OPENERS) + " ".join(rng.choice(BODIES) for _ in range(sentences))
        reply += rng.choice(CLOSERS)
        context = GradeContext(
            partner=rng.choice(PARTNER_LINES), key_points=key_points, feelings=("hurt", "unappreciated")
        )
        cases.append((reply, context))
    return cases


def percentile(sorted_values: list[float], fraction: float) -> float:
    index = min(len(sorted_values) - 1, max(0, round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--replies", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    coder = RulesCoder()
    construction_ms = (time.perf_counter() - started) * 1000
    cases = generate(args.replies, args.seed)
    for reply, context in cases[:200]:  # warm up
        coder.code(reply, context)

    latencies: list[float] = []
    clock = time.perf_counter
    cpu_started = time.process_time()
    started = clock()
    for reply, context in cases:
        before = clock()
        coder.code(reply, context)
        latencies.append(clock() - before)
    elapsed = clock() - started
    cpu = time.process_time() - cpu_started

    latencies.sort()
    rate = len(cases) / elapsed
    p50 = percentile(latencies, 0.50) * 1000
    p99 = percentile(latencies, 0.99) * 1000
    mean_chars = statistics.fmean(len(reply) for reply, _ in cases)
    print(f"rules coder: {len(cases)} generated replies (mean {mean_chars:.0f} chars), one process")
    def mark(met: bool) -> str:
        return "PASS" if met else "MISS"

    print(f"construction  {construction_ms:8.1f} ms   (target < 1000 ms) {mark(construction_ms < 1000)}")
    print(f"throughput    {rate:8.0f} replies/s (target >= {TARGET_RATE:.0f}) {mark(rate >= TARGET_RATE)}")
    # On a busy machine the wall clock counts time the process spent waiting for a core.
    print(f"cpu-bound     {len(cases) / cpu:8.0f} replies/s per CPU second")
    print(f"latency p50   {p50:8.3f} ms")
    print(f"latency p99   {p99:8.3f} ms   (target < {TARGET_P99_MS:.1f} ms) {mark(p99 < TARGET_P99_MS)}")
    context = cases[0][1]
    for name, reply in LONG_REPLIES.items():
        cpu_started = time.process_time()
        coder.code(reply, context)
        long_ms = (time.process_time() - cpu_started) * 1000
        verdict = mark(long_ms < TARGET_LONG_MS)
        print(f"long reply    {long_ms:8.1f} ms CPU for {name} (target < {TARGET_LONG_MS:.0f} ms) {verdict}")
    # Figures are reported, not enforced: `make bench` prints them and a miss is read, not failed.
    return 0

if __name__ == "__main__":
    sys.exit(main())
