from datetime import date

import pytest

from dangwu.core.personal import (
    id_check_char,
    id_number_problem,
    mask_id_number,
    mask_phone,
    phone_problem,
)
from tests.personas import make_id_number

# GB 11643 example: 11010519491231002X has check character X.
VALID_ID = "11010519491231002X"


def test_masked_id_number_keeps_first_and_last_four():
    assert mask_id_number("210203197001011234") == "2102**********1234"


def test_masked_phone_keeps_first_three_and_last_four():
    assert mask_phone("13912345678") == "139****5678"


@pytest.mark.parametrize(("mask", "value"), [(mask_id_number, "1234567"), (mask_phone, "12345")])
def test_short_values_are_masked_entirely(mask, value):
    assert mask(value) == "*" * len(value)


@pytest.mark.parametrize("mask", [mask_id_number, mask_phone])
def test_empty_values_stay_empty(mask):
    assert mask("") == ""


def test_check_character_of_the_standard_example():
    assert id_check_char(VALID_ID[:17]) == "X"


@pytest.mark.parametrize(
    "value",
    [VALID_ID, VALID_ID.lower(), f" {VALID_ID} ", make_id_number(date(1985, 2, 28), 7)],
)
def test_valid_id_numbers_pass(value):
    assert id_number_problem(value) is None


@pytest.mark.parametrize(
    "value",
    [
        "110105194912310021",  # wrong check character
        "11010519491231002",  # 17 characters
        "11010519491231002XX",
        "1101051949123100AX",  # letter inside
        "110105194902300025",  # 30 February does not exist
        "",
    ],
)
def test_invalid_id_numbers_are_explained(value):
    assert id_number_problem(value)


@pytest.mark.parametrize("value", ["13912345678", "0731-12345678", "01012345678"])
def test_valid_phones_pass(value):
    assert phone_problem(value) is None


@pytest.mark.parametrize("value", ["1391234567", "23912345678", "12345", "phone"])
def test_invalid_phones_are_explained(value):
    assert phone_problem(value)
