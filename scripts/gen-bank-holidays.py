#!/usr/bin/env python3
"""Generates src/domain/bank_holidays_data.cpp from the gov.uk feed copy in
resources/bank-holidays-england-and-wales.json (England and Wales division).

Usage (from anywhere):  python3 scripts/gen-bank-holidays.py
"""
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCE = ROOT / "resources" / "bank-holidays-england-and-wales.json"
TARGET = ROOT / "src" / "domain" / "bank_holidays_data.cpp"
DIVISION = "england-and-wales"


def cpp_string(text: str) -> str:
    out = []
    for ch in text:
        if ch in '\\"':
            out.append("\\" + ch)
        elif ord(ch) < 0x20:
            out.append("\\x%02x" % ord(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def main() -> int:
    feed = json.loads(SOURCE.read_text(encoding="utf-8"))
    events = feed[DIVISION]["events"]
    rows = []
    for event in events:
        year, month, day = (int(part) for part in event["date"].split("-"))
        title = event["title"]
        if event.get("notes"):
            title += " (" + event["notes"].lower() + ")"
        rows.append((year, month, day, title))
    rows.sort()
    for earlier, later in zip(rows, rows[1:]):
        if earlier[:3] == later[:3]:
            print("duplicate date %04d-%02d-%02d" % earlier[:3], file=sys.stderr)
            return 1

    lines = [
        "// GENERATED FILE: do not edit by hand.",
        "// Made by scripts/gen-bank-holidays.py from",
        "// resources/bank-holidays-england-and-wales.json (the gov.uk bank holidays feed,",
        "// Open Government Licence v3.0), England and Wales division. To update: replace",
        "// the JSON, run `python3 scripts/gen-bank-holidays.py` and commit both files.",
        "// tests/domain/bank_holidays_test.cpp fails if this list and the JSON differ.",
        '#include "domain/bank_holidays.hpp"',
        "",
        "namespace frontdoor::domain {",
        "namespace {",
        "",
        "constexpr BankHoliday holiday(int y, unsigned m, unsigned d, std::string_view title) {",
        "  return BankHoliday{",
        "      std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}},",
        "      title};",
        "}",
        "",
        "constexpr BankHoliday kEnglandAndWales[] = {",
    ]
    for year, month, day, title in rows:
        lines.append("    holiday(%d, %d, %d, %s)," % (year, month, day, cpp_string(title)))
    lines += [
        "};",
        "",
        "}  // namespace",
        "",
        "std::span<const BankHoliday> embedded_england_and_wales_bank_holidays() {",
        "  return kEnglandAndWales;",
        "}",
        "",
        "}  // namespace frontdoor::domain",
        "",
    ]
    TARGET.write_text("\n".join(lines), encoding="utf-8")
    print("wrote %s (%d dates, %s to %s)" % (TARGET.relative_to(ROOT), len(rows),
                                              "%04d-%02d-%02d" % rows[0][:3],
                                              "%04d-%02d-%02d" % rows[-1][:3]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
