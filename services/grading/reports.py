"""What grading writes: JUnit XML per student, the CSV gradebook, and a static HTML report with the hints."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import jinja2

from checks.labs import lab_name
from services.grading.model import UNREACHABLE, CheckResult, HostReport

TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("services.grading", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)


@dataclass(frozen=True)
class LabScore:
    lab: int
    points: int
    max: int
    unreachable: int  # checks that could not run because their host did not answer


def results_of(reports: list[HostReport]) -> dict[str, list[CheckResult]]:
    """Student -> every check result of every host, in a stable order."""
    by_student: dict[str, list[CheckResult]] = defaultdict(list)
    for report in reports:
        by_student[report.student].extend(report.results)
    for results in by_student.values():
        results.sort(key=lambda r: (r.lab, r.id, r.host, r.test))
    for report in reports:
        by_student.setdefault(report.student, [])
    return dict(sorted(by_student.items()))


def lab_scores(results: list[CheckResult]) -> list[LabScore]:
    per_lab: dict[int, list[CheckResult]] = defaultdict(list)
    for result in results:
        per_lab[result.lab].append(result)
    return [
        LabScore(
            lab,
            sum(r.earned for r in checks),
            sum(r.points for r in checks),
            sum(r.outcome == UNREACHABLE for r in checks),
        )
        for lab, checks in sorted(per_lab.items())
    ]


def write_junit(student: str, reports: list[HostReport], path: Path) -> None:
    """One <testsuite> per host; a failed check's <failure> carries the assertion and the hint."""
    suites = ET.Element("testsuites", name=student)
    for report in reports:
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=f"{student}.{report.host}",
            tests=str(len(report.results)),
            failures=str(sum(r.outcome == "failed" for r in report.results)),
            errors=str(sum(r.outcome in ("error", UNREACHABLE) for r in report.results) + (not report.results)),
            skipped=str(sum(r.outcome == "skipped" for r in report.results)),
            time=f"{report.seconds:.2f}",
        )
        if not report.results and report.problem:
            case = ET.SubElement(suite, "testcase", classname=report.host, name="host")
            ET.SubElement(case, "error", type=UNREACHABLE, message=report.problem)
        for result in report.results:
            case = ET.SubElement(suite, "testcase", classname=f"{report.host}.{result.id}", name=result.test)
            properties = ET.SubElement(case, "properties")
            for key, value in (("check_id", result.id), ("lab", result.lab), ("points", result.points)):
                ET.SubElement(properties, "property", name=key, value=str(value))
            if result.outcome == "failed":
                ET.SubElement(case, "failure", message=result.hint).text = result.message
            elif result.outcome in ("error", UNREACHABLE):
                ET.SubElement(case, "error", type=result.outcome, message=result.hint).text = result.message
            elif result.outcome == "skipped":
                ET.SubElement(case, "skipped", message=result.message[:200])
            if result.notes:
                ET.SubElement(case, "system-out").text = "\n".join(result.notes)
    ET.indent(suites)
    ET.ElementTree(suites).write(path, encoding="utf-8", xml_declaration=True)


def write_gradebook(scores: dict[str, list[LabScore]], path: Path) -> None:
    """One row per student and lab: points, max, and the student's total over all labs."""
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "lab", "points", "max", "total", "total_max", "unreachable_checks"])
        for student, labs in scores.items():
            total, total_max = sum(s.points for s in labs), sum(s.max for s in labs)
            for score in labs:
                writer.writerow(
                    [student, f"{score.lab:02d}", score.points, score.max, total, total_max, score.unreachable]
                )


def write_html(
    reports: list[HostReport], by_student: dict[str, list[CheckResult]], scores: dict[str, list[LabScore]], path: Path
) -> None:
    students = [
        {
            "name": student,
            "labs": [dict(vars(s), title=lab_name(s.lab)) for s in scores[student]],
            "total": sum(r.earned for r in results),
            "max": sum(r.points for r in results),
            "problems": [r for r in reports if r.student == student and r.problem],
            "failures": [r for r in results if r.outcome != "passed"],
            "notes": sorted({note for r in results for note in r.notes}),
        }
        for student, results in by_student.items()
    ]
    path.write_text(TEMPLATES.get_template("report.html.j2").render(students=students))


def write_all(reports: list[HostReport], out: Path) -> dict[str, list[LabScore]]:
    """JUnit per student under out/junit/, out/gradebook.csv and out/report.html. Returns the scores."""
    (out / "junit").mkdir(parents=True, exist_ok=True)
    by_student = results_of(reports)
    scores = {}
    for student, results in by_student.items():
        write_junit(student, [r for r in reports if r.student == student], out / "junit" / f"{student}.xml")
        scores[student] = lab_scores(results)
    write_gradebook(scores, out / "gradebook.csv")
    write_html(reports, by_student, scores, out / "report.html")
    return scores
