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


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("from 6 to 10 March", "2024-03-06"),
        ("March 6 to 10", "2024-03-06"),
        ("between March 6 and 10", "2024-03-06"),
        ("March 6-10", "2024-03-06"),
        ("6-10 March 2019", "2019-03-06"),
        ("December 30 to January 2, 2019", "2018-12-30"),
        ("from March to May", "2024-03"),
        ("between 2016 and 2019", "2016"),
        ("mid-March", "2024-03"),
    ],
)
def test_resolve_date_a_span_of_days_starts_on_its_first(expression, expected):
    assert resolve_date(expression, PUBLISHED) == expected


def test_resolve_date_two_days_named_side_by_side_are_no_span():
    assert resolve_date("Monday and Tuesday", PUBLISHED) is None
    assert resolve_date("6 to 10", PUBLISHED) is None


def test_resolve_date_a_week_is_the_month_holding_most_of_its_days():
    tuesday = dt.date(2024, 4, 2)
    assert resolve_date("last week", tuesday) == "2024-03"  # March 25-31
    assert resolve_date("this week", tuesday) == "2024-04"  # April 1-7
    assert resolve_date("earlier this week", dt.date(2024, 5, 1)) == "2024-05"  # 2 of 7 in April
    assert resolve_date("next week", PUBLISHED) == "2024-04"


def test_resolve_date_overnight_is_sure_only_of_what_two_days_share():
    assert resolve_date("overnight", PUBLISHED) == "2024-04"
    assert resolve_date("overnight", dt.date(2024, 4, 1)) == "2024"
    assert resolve_date("overnight", dt.date(2024, 1, 1)) is None
    assert resolve_date("last night", PUBLISHED) == "2024-04-12"


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("later this year", "2024"),
        ("later this month", "2024-04"),
        ("next month", "2024-05"),
        ("early next year", "2025"),
        ("late next month", "2024-05"),
    ],
)
def test_resolve_date_expected_events_take_the_coming_month_or_year(expression, expected):
    assert resolve_date(expression, PUBLISHED, ahead=True) == expected


def test_shift_moves_a_day_and_refuses_a_month():
    from diplograph.nlp.anaphora import shift

    assert shift("2024-02-28", 2) == "2024-03-01"
    assert shift("2024-03-01", -1) == "2024-02-29"
    assert shift("2024-03", 1) is None and shift(None, 0) is None


@pytest.mark.parametrize(
    "expression",
    ["Saturday 30 November 2024", "Saturday, November 30, 2024", "saturday 30 november 2024"],
)
def test_resolve_date_a_weekday_before_a_full_date_names_nothing_more(expression):
    assert resolve_date(expression, None) == "2024-11-30"
    assert resolve_date(expression, dt.date(2025, 3, 1)) == "2024-11-30"
