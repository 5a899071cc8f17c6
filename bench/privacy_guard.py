"""Privacy guard benchmark (DOC-3): precision and recall on the labelled corpus.

    .venv/bin/python bench/privacy_guard.py [--show]

Scores per span (see cma.privacy.corpus). Goals: recall >= 0.98, precision >= 0.95.
No database needed: the corpus carries its own synthetic parties.
"""

import sys
import time

from cma.privacy.corpus import CORPUS, evaluate

RECALL_GOAL, PRECISION_GOAL = 0.98, 0.95


def main() -> int:
    started = time.perf_counter()
    score = evaluate()
    elapsed = time.perf_counter() - started
    print(f"corpus: {CORPUS.name}: {score.examples} examples, {score.labelled} labelled spans")
    print(f"recall:    {score.recall:.4f}  ({score.found}/{score.labelled})  goal >= {RECALL_GOAL}")
    print(
        f"precision: {score.precision:.4f}  ({score.correct}/{score.findings})  "
        f"goal >= {PRECISION_GOAL}"
    )
    for kind, (found, labelled) in sorted(score.by_kind.items()):
        print(f"  {kind:8} recall {found / labelled:.4f} ({found}/{labelled})")
    print(f"time: {elapsed * 1000 / score.examples:.2f} ms per example")
    if "--show" in sys.argv:
        for ex_id, kind, text in score.misses:
            print(f"  missed      #{ex_id} {kind}: {text!r}")
        for ex_id, kind, text in score.false_alarms:
            print(f"  false alarm #{ex_id} {kind}: {text!r}")
    met = score.recall >= RECALL_GOAL and score.precision >= PRECISION_GOAL
    print("goals met" if met else "GOALS NOT MET")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
