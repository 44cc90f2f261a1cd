"""The quality report itself: the period, the patients seen in it, one row per checkpoint with its counts and
worklist, the outcomes and their monthly trends, and (when asked for) a sample of records as the Authority
draws it — reproducible from its seed."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter
from typing import Any

from smerteagent.core.errors import SmerteAgentError
from smerteagent.core.quality.checkpoints import FULFILLED, NOT_FULFILLED, NOT_RELEVANT, Finding, evaluate_all
from smerteagent.core.quality.outcomes import MonthTrend, outcomes, trends
from smerteagent.core.quality.records import PlanDrugsMemo, RecordView
from smerteagent.core.quality.rules import RuleSet
from smerteagent.i18n import _, day


@dataclass(frozen=True)
class CheckpointRow:
    id: str
    number: int
    title: str
    applicable: int
    fulfilled: int
    not_relevant: int
    failing: tuple[int, ...]  # patient ids, ascending: the worklist

    @property
    def not_fulfilled(self) -> int:
        return len(self.failing)


@dataclass(frozen=True)
class SampledRecord:
    patient_id: int
    name: str
    cpr: str | None
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class QualityReport:
    start: date
    end: date
    patients: int
    checkpoints: tuple[CheckpointRow, ...]
    outcomes: dict[str, float | None]
    trends: tuple[MonthTrend, ...] = ()
    names: dict[int, str] = field(default_factory=dict)  # patient id -> name, for worklists
    sample: tuple[SampledRecord, ...] | None = None
    seed: int | None = None
    reasons: dict[str, dict[int, tuple[str, ...]]] = field(default_factory=dict)  # checkpoint -> failing -> why
    cprs: dict[int, str | None] = field(default_factory=dict)  # for a paper that asks for them; never in JSON

    def as_json(self) -> dict[str, Any]:
        """The published shape: period, patients, checkpoints with worklists, outcomes (and the sample)."""
        document: dict[str, Any] = {
            "period": {"from": self.start.isoformat(), "to": self.end.isoformat()},
            "patients": self.patients,
            "checkpoints": [
                {"id": c.id, "number": c.number, "title": c.title, "applicable": c.applicable, "fulfilled": c.fulfilled,
                 "not_relevant": c.not_relevant, "patients_failing": list(c.failing)}
                for c in self.checkpoints
            ],
            "outcomes": dict(self.outcomes),
        }  # fmt: skip
        if self.sample is not None:
            document["sample"] = {
                "seed": self.seed,
                "records": [
                    {"patient": s.patient_id, "checkpoints": {f.checkpoint: _finding(f) for f in s.findings}}
                    for s in self.sample
                ],
            }  # fmt: skip
        return document


def _finding(finding: Finding) -> dict[str, Any]:
    return {"status": finding.status, "reasons": list(finding.reasons)}


EARLIEST, LATEST = date(1900, 1, 1), date(9998, 12, 31)  # the months and days after the end must exist


def check_day(when: date) -> None:
    """A first or last day a report can be made for (9999-12-31 has no day after it to count to)."""
    if not EARLIEST <= when <= LATEST:
        raise SmerteAgentError(_("{day} is outside the years a report can cover ({first}–{last})").format(
            day=day(when), first=EARLIEST.year, last=LATEST.year))  # fmt: skip


def check_period(start: date, end: date) -> None:
    check_day(start)
    check_day(end)
    if start > end:
        raise SmerteAgentError(_("the period starts ({start}) after it ends ({end})").format(
            start=day(start), end=day(end)))  # fmt: skip


def draw_sample(patient_ids: Sequence[int], size: int, seed: int) -> list[int]:
    """``size`` patient ids drawn at random (all of them when fewer), the same for the same seed and patients."""
    if size < 1:
        raise SmerteAgentError(f"the sample size must be at least 1, not {size}")
    ordered = sorted(patient_ids)
    return sorted(random.Random(seed).sample(ordered, min(size, len(ordered))))


def _rows(rules: RuleSet, findings: dict[int, list[Finding]],
          language: str) -> tuple[list[CheckpointRow], dict[str, dict[int, tuple[str, ...]]]]:  # fmt: skip
    """One row per checkpoint from every patient's findings, and the reasons of those failing: patients who
    share their findings (evaluated once, see ``evaluate_all``) are counted together."""
    alike: dict[int, tuple[list[Finding], list[int]]] = {}
    for patient_id, found in findings.items():
        group = alike.get(id(found))
        if group is None:
            alike[id(found)] = (found, [patient_id])
        else:
            group[1].append(patient_id)
    counts = [{FULFILLED: 0, NOT_RELEVANT: 0} for _rule in rules.checkpoints]
    failing: list[list[int]] = [[] for _rule in rules.checkpoints]
    reasons: list[dict[int, tuple[str, ...]]] = [{} for _rule in rules.checkpoints]
    for found, patients in alike.values():
        for index, finding in enumerate(found):
            if finding.status != NOT_FULFILLED:
                counts[index][finding.status] += len(patients)
                continue
            failing[index].extend(patients)
            if finding.reasons:
                reasons[index].update(dict.fromkeys(patients, finding.reasons))
    rows = [CheckpointRow(rule.id, rule.number, rule.label(language), len(findings) - counts[i][NOT_RELEVANT],
                          counts[i][FULFILLED], counts[i][NOT_RELEVANT], tuple(sorted(failing[i])))
            for i, rule in enumerate(rules.checkpoints)]  # fmt: skip
    return rows, {rule.id: reasons[i] for i, rule in enumerate(rules.checkpoints)}  # looked up by patient


def build_report(records: Sequence[RecordView], rules: RuleSet, start: date, end: date, language: str = "da",
                 sample_size: int | None = None, seed: int | None = None) -> QualityReport:  # fmt: skip
    """The report over the patients seen between ``start`` and ``end`` (both included)."""
    check_period(start, end)
    seen = sorted((r for r in records if r.seen_between(start, end)), key=attrgetter("patient_id"))
    facts = PlanDrugsMemo()  # each plan's drugs read once, for the rules, the outcomes and the trends
    findings = evaluate_all(seen, rules, end, facts)
    rows, reasons = _rows(rules, findings, language)
    sample = None
    if sample_size is not None:
        by_id = {r.patient_id: r for r in seen}
        drawn = draw_sample(list(by_id), sample_size, seed or 0)
        sample = tuple(SampledRecord(p, by_id[p].name, by_id[p].cpr, tuple(findings[p])) for p in drawn)
    return QualityReport(
        start, end, len(seen), tuple(rows), outcomes(seen, start, end, rules.long_term_days, facts),
        tuple(trends(seen, start, end, rules.long_term_days, facts)), {r.patient_id: r.name for r in seen}, sample,
        seed, reasons, {r.patient_id: r.cpr for r in seen},
    )  # fmt: skip
