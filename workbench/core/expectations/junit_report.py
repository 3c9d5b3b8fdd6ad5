"""Test results as JUnit XML, the file CI systems (GitHub Actions reporters, GitLab, Jenkins) read.

Written with junitparser, a maintained library that also reads the files back, so the element and
attribute names are the ones those tools expect: one <testsuite> per function, one <testcase> per preset
(classname = the function), <failure message="first difference">, the log in <system-out>.
"""

from __future__ import annotations

import re
from pathlib import Path

from junitparser import Failure, JUnitXml, Skipped, TestCase, TestSuite

from .case_report import CANCELLED, FAILED, SKIPPED, CaseResult

# Characters XML 1.0 cannot hold at all (a handler may print terminal escapes or NULs).
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def junit_xml(results: list[CaseResult], suite_name: str = "lambda-workbench") -> JUnitXml:
    document = JUnitXml(suite_name)
    suites: dict[str, TestSuite] = {}
    for item in results:
        suite = suites.get(item.case.function)
        if suite is None:
            suite = suites[item.case.function] = TestSuite(item.case.function)
        seconds = item.result.duration_ms / 1000 if item.result is not None else 0.0
        case = TestCase(_xml_text(item.case.name), _xml_text(item.case.function), round(seconds, 6))
        if item.status == FAILED:
            failure = Failure(_xml_text(item.first_difference), "ExpectationFailed")
            failure.text = _xml_text("\n".join(str(d) for d in item.verdict.differences))
            case.result = [failure]
        elif item.status in (SKIPPED, CANCELLED):
            case.result = [Skipped(_xml_text(item.reason or item.status))]
        if item.log:
            case.system_out = _xml_text("\n".join(item.log))
        suite.add_testcase(case)
    for suite in suites.values():
        suite.update_statistics()
        document.add_testsuite(suite)
    document.update_statistics()
    return document


def write_junit(results: list[CaseResult], path: Path | str) -> None:
    junit_xml(results).write(str(path), pretty=True)
