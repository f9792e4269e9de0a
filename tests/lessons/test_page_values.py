from mlplab.lessons.page import _value


def test_long_lists_are_shortened_with_their_length():
    text = _value([0.01] * 10 + [0.005] * 30)
    assert text == "[0.01, 0.01, 0.01, ..., 0.005, 0.005, (40 values)]"


def test_nested_floats_get_four_digits_and_short_lists_stay_whole():
    assert _value({"a": [4.390500016511091e-11, 0.5]}) == "{a: [4.391e-11, 0.5]}"
    assert _value(0.123456789) == "0.123457"
