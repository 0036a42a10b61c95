"""Server-rendered charts: round axes, bars and lines from the values, escaped text."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from adminpanel.charts import Series, axis_ticks, bar_chart, line_chart, milliseconds, usd

DAYS = [date(2025, 3, 1) + timedelta(days=n) for n in range(5)]


@pytest.mark.parametrize(
    ("maximum", "whole_numbers", "ticks"),
    [
        (6, True, [0, 2, 4, 6]),
        (2, True, [0, 1, 2]),
        (0, True, [0, 1]),
        (115_200, True, [0, 50_000, 100_000, 150_000]),
        (0.0036, False, [0, 0.001, 0.002, 0.003, 0.004]),
    ],
)
def test_axes_use_round_steps_and_counts_never_get_fractions(maximum, whole_numbers, ticks):
    assert axis_ticks(maximum, whole_numbers=whole_numbers) == pytest.approx(ticks)


def test_a_bar_chart_draws_one_bar_per_nonzero_value_with_a_tooltip():
    chart = bar_chart(key="c", title="Conversations", labels=DAYS, series=[Series("Conversations", [1, 0, 3, 2, 4])])

    assert chart.svg.count('<rect class="bar series-1"') == 4
    assert "<title>Mar 3: 3 conversations</title>" in chart.svg
    assert 'role="img"' in chart.svg
    assert "peak 4 on Mar 5" in chart.summary


def test_stacked_series_get_their_own_colour_class():
    chart = bar_chart(
        key="t",
        title="Tokens",
        labels=DAYS,
        series=[Series("Input", [5, 5, 5, 5, 5]), Series("Output", [1, 0, 1, 0, 1])],
    )

    assert chart.svg.count("series-1") == 5
    assert chart.svg.count("series-2") == 3
    assert [name for _, name in chart.legend] == ["Input", "Output"]


def test_a_missing_value_breaks_the_line():
    chart = line_chart(
        key="l",
        title="Latency",
        labels=DAYS,
        series=[Series("p50", [100, 200, None, 300, 400])],
        formatter=milliseconds,
    )

    path = re.search(r'<path class="line series-1" d="([^"]+)"', chart.svg)
    assert path is not None
    assert path.group(1).count("M") == 2
    assert chart.table_rows[2] == ("Mon Mar 3", ["\u2013"])
    assert chart.table_rows[0] == ("Sat Mar 1", ["100 ms"])


def test_text_in_a_chart_is_escaped():
    chart = bar_chart(key="x", title="<b>Title</b>", labels=DAYS[:1], series=[Series("<script>", [1])])

    assert "<script>" not in chart.svg
    assert "&lt;b&gt;Title&lt;/b&gt;" in chart.svg


def test_money_is_shown_to_the_cent_or_finer_when_small():
    assert (usd(12.5), usd(0.0036), usd(0)) == ("$12.50", "$0.0036", "$0.00")
    chart = bar_chart(key="m", title="Cost", labels=DAYS[:2], series=[Series("Cost", [0.0012, 0.0025])], formatter=usd)
    assert "$0.003" in chart.svg


def test_an_empty_chart_knows_it_has_no_data():
    assert not bar_chart(key="e", title="E", labels=DAYS, series=[Series("S", [0] * 5)]).has_data
