"""Validation problems and their renderings (text, JSON, GitHub Actions annotations)."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field, replace

from .limits import MAX_PROBLEMS_LISTED
from .rules import CATALOGUE, Severity

#: Characters of a problem's value that the JSON report shows; a longer value ends in "…".
JSON_VALUE_LIMIT = 1000


@dataclass(frozen=True, order=True)
class Problem:
    """One finding: where (file, spreadsheet row, column), what (value) and which rule, in plain words.

    `row` counts as a spreadsheet user does: the header is row 1, the first data row is row 2.
    """

    file: str
    row: int | None
    column: str | None
    rule: str
    message: str
    value: str | None = None
    #: the rule's severity, never given apart from it
    severity: Severity = field(default="error", init=False)

    def __post_init__(self) -> None:
        """The rule is the catalogue's (an unknown id is a bug of the check); its severity is the rule's."""
        rule = CATALOGUE.get(self.rule)
        if rule is None:
            raise ValueError(f"rule {self.rule!r} is not in the rule catalogue (dataset/rules.py)")
        object.__setattr__(self, "rule", rule)
        object.__setattr__(self, "severity", rule.severity)

    def __str__(self) -> str:
        where = printable(self.file)
        if self.row is not None:
            # a CSV row as a spreadsheet counts it; in the JSON descriptor, a line
            where += f", line {self.row}" if self.file.endswith(".json") else f", row {self.row}"
        if self.column:
            where += f", column {printable(self.column)}"
        return f"{where}: {printable(self.message)}{_shown(self.value)} [{self.rule}]"


def _clip(value: str | None, width: int = 80) -> str | None:
    if value is None or len(value) <= width:
        return value
    return value[: width - 1] + "…"


def _shown(value: str | None) -> str:
    """` (value: '...')`, clipped, on one line; escapes the checks wrote (\\u200b) are shown as they are."""
    if value is None:
        return ""
    return f" (value: '{printable(_clip(value) or '')}')"


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\r": "\\r", "\n": "\\n", "\t": "\\t"}


def printable(text: str) -> str:
    """TEXT on one line with every control character written as an escape (\\n, \\x1b), never run.

    The one escaping of terminal output: a name or a cell holding ESC, BEL or a line break
    cannot clear a screen, retitle a window or forge a line of the report (or a `::error`).
    """
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(lambda m: _NAMED.get(m.group(0)) or _escape(m), text)


_TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029]")


def terminal_safe(text: str) -> str:
    """TEXT with every control character but the line break and tab escaped: safe to print.

    For multi-line output (a table, a diff, Markdown): a cell holding ESC or CR cannot clear the
    screen, retitle the window or overwrite a line.
    """
    return (
        _TERMINAL.sub(lambda m: _NAMED.get(m.group(0)) or _escape(m), text)
        if _TERMINAL.search(text)
        else text
    )


def json_safe(text: str) -> str:
    """JSON text with DEL, the C1 controls and the Unicode line separators written as \\u escapes.

    The json module escapes the C0 controls itself; these others it writes raw (with
    ensure_ascii=False), and a terminal may run them. The JSON means the same either way.
    """
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 256 else f"\\u{code:04x}"


#: a command named in a message as a hint: `dataset hashes`, `dataset fmt`
_HINT = re.compile(r"`dataset ([a-z][a-z-]*)`")


def with_package_argument(report: Report, argument: str) -> Report:
    """REPORT whose hints (`dataset hashes`) name the package (`dataset hashes path/to/fork`), so they work pasted."""
    if not argument:
        return report
    problems = [
        replace(p, message=_HINT.sub(lambda m: f"`dataset {m.group(1)} {argument}`", p.message))
        for p in report.problems
    ]
    return Report(report.package, problems)


@dataclass
class Report:
    """Everything `validate` found, in file, row, column order."""

    package: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def valid(self) -> bool:
        return not self.errors

    def sorted(self) -> Report:
        key = lambda p: (p.file, p.row if p.row is not None else 0, p.column or "", p.rule, p.value or "")  # noqa: E731
        return Report(self.package, sorted(self.problems, key=key))

    def to_dict(self) -> dict[str, object]:
        """The report as JSON data; a value longer than JSON_VALUE_LIMIT characters is cut (file, row
        and column say where the whole cell is), so that one huge cell cannot make a huge report."""
        return {
            "package": self.package,
            "valid": self.valid,
            "error_count": len(self.errors),
            "warning_count": len(self.warnings),
            "problems": [{**asdict(p), "value": _clip(p.value, JSON_VALUE_LIMIT)} for p in self.problems],
        }


def _listed(report: Report) -> tuple[list[Problem], str | None]:
    """The problems a text rendering lists (MAX_PROBLEMS_LISTED), and a line saying how many more."""
    shown = report.problems[:MAX_PROBLEMS_LISTED]
    rest = len(report.problems) - len(shown)
    if not rest:
        return shown, None
    return shown, f"... and {rest:,} more problem(s) not listed; `--format json` lists them all"


def render_text(report: Report) -> str:
    shown, more = _listed(report)
    lines = [str(p) if p.severity == "error" else f"warning: {p}" for p in shown]
    lines.extend([more] if more else [])
    lines.append(summary(report))
    return "\n".join(lines)


def summary(report: Report) -> str:
    """The last line of every rendering: the verdict and the counts."""
    verdict = "valid" if report.valid else "INVALID"
    return f"{report.package}: {verdict} — {len(report.errors)} error(s), {len(report.warnings)} warning(s)"


def render_json(report: Report) -> str:
    return json_safe(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))


def _escape_data(text: str) -> str:
    """GitHub's escaping of a workflow command (%, CR, LF), after every other control character is shown."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return _CONTROL.sub(_escape, text)


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report, *, prefix: str = "") -> str:
    """GitHub Actions workflow commands, so a pull request shows each problem on its line.

    For CSV files the annotation line is the spreadsheet row (one record per line in the
    canonical layout that `dataset fmt` writes).
    """
    lines = []
    shown, more = _listed(report)
    for p in shown:
        props = [f"file={_escape_property(prefix + p.file)}"]
        if p.row is not None:
            props.append(f"line={p.row}")
        title = p.rule if not p.column else f"{p.rule} ({p.column})"
        props.append(f"title={_escape_property(title)}")
        lines.append(f"::{p.severity} {','.join(props)}::{_escape_data(p.message + _shown(p.value))}")
    lines.extend([more] if more else [])
    lines.append(summary(report))
    return "\n".join(lines)
