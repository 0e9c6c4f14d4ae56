import datetime as dt

import pytest

from diplograph.nlp.dates import resolve_date

PUBLISHED = dt.date(2024, 4, 13)  # a Saturday


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("on Saturday", "2024-04-13"),
        ("Saturday", "2024-04-13"),
        ("on Tuesday", "2024-04-09"),
        ("last Saturday", "2024-04-06"),
        ("next Monday", "2024-04-15"),
        ("In September", "2023-09"),
        ("last September", "2023-09"),
        ("April", "2024-04"),
        ("March 4", "2024-03-04"),
        ("April 20", "2023-04-20"),
        ("4 March 2019", "2019-03-04"),
        ("March 4, 2019", "2019-03-04"),
        ("September 2023", "2023-09"),
        ("in 2016", "2016"),
        ("this year", "2024"),
        ("last year", "2023"),
        ("last month", "2024-03"),
        ("earlier this month", "2024-04"),
        ("yesterday", "2024-04-12"),
        ("today", "2024-04-13"),
        ("2024-04-01", "2024-04-01"),
    ],
)
def test_resolve_date_relative_to_publication(expression, expected):
    assert resolve_date(expression, PUBLISHED) == expected


@pytest.mark.parametrize(
    "expression", ["three-day", "recent years", "75 years", "decades", "2024-13-45"]
)
def test_resolve_date_rejects_durations_and_nonsense(expression):
    assert resolve_date(expression, PUBLISHED) is None


def test_resolve_date_without_publication_keeps_absolute_dates_only():
    assert resolve_date("March 4, 2019", None) == "2019-03-04"
    assert resolve_date("on Saturday", None) is None


def test_an_event_still_to_come_takes_the_next_weekday_and_month():
    tuesday = dt.date(2021, 5, 25)
    assert resolve_date("on Thursday", tuesday) == "2021-05-20"
    assert resolve_date("on Thursday", tuesday, ahead=True) == "2021-05-27"
    assert resolve_date("on Tuesday", tuesday, ahead=True) == "2021-05-25"
    assert resolve_date("in March", tuesday, ahead=True) == "2022-03"
    assert resolve_date("in May", tuesday, ahead=True) == "2021-05"
    assert resolve_date("June 2", tuesday, ahead=True) == "2021-06-02"
    assert resolve_date("next Thursday", tuesday, ahead=True) == "2021-05-27"
