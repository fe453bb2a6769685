"""UTC instants shown in a site's zone; names checked against the tz database."""
from datetime import datetime, timedelta, timezone

import pytest

from checklists.timezones import UnknownTimezone, check_timezone, to_site_local


def test_a_naive_instant_is_utc_and_comes_out_in_the_sites_wall_clock():
    local = to_site_local(datetime(2026, 11, 23, 16, 30), "Asia/Shanghai")
    assert (local.day, local.hour, local.utcoffset()) == (24, 0, timedelta(hours=8))


def test_an_aware_instant_is_converted_from_its_own_offset_and_daylight_time_applies():
    summer = datetime(2026, 7, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    local = to_site_local(summer, "Europe/London")
    assert (local.hour, local.utcoffset()) == (11, timedelta(hours=1))


@pytest.mark.parametrize("name", ["Mars/Olympus", "../../etc/passwd", "localtime", "",
                                  "+08:00", None, 8])
def test_names_that_are_no_zone_are_refused_with_an_example(name):
    with pytest.raises(UnknownTimezone, match="Asia/Shanghai"):
        check_timezone(name)


def test_a_local_time_beyond_year_9999_is_an_overflow_not_a_wrong_date():
    with pytest.raises(OverflowError):
        to_site_local(datetime(9999, 12, 31, 23, 0), "Asia/Shanghai")
