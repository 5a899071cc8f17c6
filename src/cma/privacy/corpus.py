"""The privacy guard's labelled corpus and its span-level evaluation (DOC-3).

`data/privacy_corpus.jsonl`: a header line with the synthetic parties of the case,
then one example per line: {"id", "text", "pii": [[kind, exact text], ...]}. Examples
without personal information are the tricky non-PII: amounts, dates, receipt and
reference numbers, CRNs, case numbers, organisations' phone numbers.

Scoring is per span: a labelled span is found when a finding overlaps it (recall);
a finding is right when it overlaps a labelled span (precision).
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from .guard import Party, scan

CORPUS = Path(__file__).parent / "data" / "privacy_corpus.jsonl"


@dataclass
class Example:
    id: int
    text: str
    spans: list[tuple[int, int, str]]


@dataclass
class Score:
    examples: int = 0
    labelled: int = 0
    found: int = 0
    findings: int = 0
    correct: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind -> [found, labelled]
    misses: list[tuple[int, str, str]] = field(default_factory=list)  # (id, kind, text)
    false_alarms: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.labelled if self.labelled else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.findings if self.findings else 1.0


def _parties(header: dict) -> list[Party]:
    parties = []
    for p in header["parties"]:
        given, family = p["given"], p["family"]
        first = given.split()[0]
        names = (
            f"{given} {family}",
            f"{first} {family}",
            f"{family} {given}",
            f"{family}, {first}",
        )
        parties.append(
            Party(
                names=names,
                addresses=(p["address_line"],),
                numbers=tuple(p["phones"] + p["alt_phones"]),
            )
        )
    parties += [Party(names=(child,)) for child in header["children"]]
    return parties


def load(path: Path = CORPUS) -> tuple[list[Party], list[Example]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    examples = []
    for line in lines[1:]:
        row = json.loads(line)
        spans = []
        for kind, value in row["pii"]:
            start = row["text"].find(value)
            if start < 0:
                raise ValueError(f"example {row['id']}: {value!r} is not in its text")
            while start >= 0:
                spans.append((start, start + len(value), kind))
                start = row["text"].find(value, start + 1)
        examples.append(Example(row["id"], row["text"], spans))
    return _parties(header), examples


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def evaluate(path: Path = CORPUS) -> Score:
    parties, examples = load(path)
    score = Score(examples=len(examples))
    for ex in examples:
        findings = scan(ex.text, parties=parties)
        score.findings += len(findings)
        for f in findings:
            if any(_overlap((f.start, f.end), (s, e)) for s, e, _ in ex.spans):
                score.correct += 1
            else:
                score.false_alarms.append((ex.id, f.kind, f.text))
        for start, end, kind in ex.spans:
            counts = score.by_kind.setdefault(kind, [0, 0])
            counts[1] += 1
            score.labelled += 1
            if any(_overlap((f.start, f.end), (start, end)) for f in findings):
                counts[0] += 1
                score.found += 1
            else:
                score.misses.append((ex.id, kind, ex.text[start:end]))
    return score
