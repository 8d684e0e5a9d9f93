"""Bad date ranges are 400 problem details; CSV cells never start a spreadsheet formula."""

import csv
import io
import re
import unicodedata
from datetime import date

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from orchestration.dashboard.csv_download import csv_response
from orchestration.dashboard.period import Period
from orchestration.dashboard.responses import RankedRow

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("params", "detail"),
    [
        ({"start": "2026-03-10", "end": "2026-03-01"}, "after"),
        ({"start": "2025-01-01", "end": "2026-01-02"}, "at most 366"),
        ({"start": "2026-02-30"}, "start"),
        ({"end": "yesterday"}, "end"),
        ({"limit": "0"}, "limit"),
        # The period before these would start before the calendar does.
        ({"start": "0001-01-01"}, "at most 366"),
        ({"end": "0001-01-01"}, "before 0001-01-01"),
        ({"start": "0001-01-01", "end": "0001-01-01"}, "before 0001-01-01"),
        ({"start": "0001-06-01", "end": "0002-06-01"}, "before 0001-01-01"),
        ({"start": "0001-01-02", "end": "0001-01-03"}, "before 0001-01-01"),
        ({"start": "9999-12-31"}, "after"),
    ],
)
async def test_a_bad_range_is_400_problem_details(
    reader: AsyncTestClient[Litestar], params: dict[str, str], detail: str
) -> None:
    for path in ("/api/dashboard/buttons", "/api/dashboard/buttons.csv"):
        response = await reader.get(path, params=params)

        assert response.status_code == 400, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert detail in response.text


@pytest.mark.parametrize(
    ("start", "end"),
    [("0001-01-02", "0001-01-02"), ("0001-01-03", "0001-01-03"), ("9999-12-31", "9999-12-31")],
)
async def test_ranges_at_the_ends_of_the_calendar_that_fit_are_answered(
    reader: AsyncTestClient[Litestar], start: str, end: str
) -> None:
    for path in ("/api/dashboard/clicks/daily", "/api/dashboard/buttons.csv"):
        response = await reader.get(path, params={"start": start, "end": end})

        assert response.status_code == 200, response.text


async def test_a_full_leap_year_is_allowed(reader: AsyncTestClient[Litestar]) -> None:
    params = {"start": "2024-01-01", "end": "2024-12-31"}

    daily = (await reader.get("/api/dashboard/clicks/daily", params=params)).json()

    assert len(daily["days"]) == 366
    # The previous period has the same 366 days.
    assert daily["previous"] == {"start": "2022-12-31", "end": "2023-12-31"}


def test_csv_cells_that_look_like_formulas_are_text() -> None:
    period = Period(start=date(2026, 3, 1), end=date(2026, 3, 1))
    rows = [
        RankedRow(
            name='=HYPERLINK("https://evil.example")',
            clicks=2,
            share=1.0,
            previous_clicks=0,
            change=None,
        ),
        RankedRow(name="-1+1", clicks=1, share=0.5, previous_clicks=2, change=-0.5),
    ]

    lines = csv_response("buttons", period, rows, RankedRow).content.splitlines()

    assert lines[1] == '"\'=HYPERLINK(""https://evil.example"")",2,1.0,0,'
    assert lines[2] == "'-1+1,1,0.5,2,-0.5"


_LEADS = ["", " ", ";", ",", "\t", "x;", "x,", "x ;", "a|", "\u200b", "\ufeff", "\u2060", "\u00a0"]
_LEADS += ["\u200e", "\u202e", "\x00", "x;\u200b ", "\u200b;\u200b", "x\n"]
_FORMULAS = ["=cmd|' /C calc'!A0", "+1", "-1", "@SUM(1)", '=HYPERLINK("x")', "\uff1d1+1"]


def _formula_fields(cell: str) -> list[str]:
    """The fields of a cell, split as any locale might, that begin a formula once what a
    spreadsheet does not show is skipped."""
    fields = re.split(r"[,;|\t\r\n\u2028\u2029]", cell)
    unseen = ("Cc", "Cf", "Zs", "Zl", "Zp")
    starts = [f.lstrip("".join(c for c in f if unicodedata.category(c) in unseen)) for f in fields]
    return [s for s in starts if s[:1] in ("=", "+", "-", "@", "\uff1d")]


@pytest.mark.parametrize("lead", _LEADS)
def test_a_formula_after_any_separator_or_invisible_character_is_text(lead: str) -> None:
    period = Period(start=date(2026, 3, 1), end=date(2026, 3, 1))
    for formula in _FORMULAS:
        name = lead + formula + ";"
        assert _formula_fields(name), name  # the check finds the formula it should
        row = RankedRow(name=name, clicks=1, share=1.0, previous_clicks=0, change=None)

        body = csv_response("buttons", period, [row], RankedRow).content
        (cell,) = [line[0] for line in csv.reader(io.StringIO(body))][1:]

        assert _formula_fields(cell) == [], repr(cell)
        assert re.sub("'(?=[=+\\-@\uff1d\t])", "", cell) == name  # only quote marks added


def test_text_that_only_contains_formula_characters_is_left_alone() -> None:
    period = Period(start=date(2026, 3, 1), end=date(2026, 3, 1))
    names = ["Sign up - free", "a+b", "me@example.com", "1 = 1"]
    rows = [RankedRow(name=n, clicks=1, share=1.0, previous_clicks=0, change=None) for n in names]

    body = csv_response("buttons", period, rows, RankedRow).content

    assert [line[0] for line in csv.reader(io.StringIO(body))][1:] == names
