"""Checking and formatting event JSON: where it breaks, and a pretty form that changes nothing."""

import json

import pytest

from workbench.core.text.json_check import JsonProblem, check_json, format_json


def test_valid_json_has_no_problem():
    """A well-formed event is accepted as it is."""
    assert check_json('{"name": "Ada", "items": [1, 2.5, null, true]}') is None


def test_missing_comma_is_reported_at_its_line_and_column():
    """A missing comma names the line and column where the next member starts."""
    problem = check_json('{\n  "a": 1\n  "b": 2\n}')
    assert problem == JsonProblem(3, 3, "Expecting ',' delimiter")
    assert str(problem) == "line 3, column 3: Expecting ',' delimiter"


def test_columns_count_characters_not_bytes():
    """Non-ASCII and emoji before the error count as one column each."""
    problem = check_json('{"é😀": 1 x}')
    assert (problem.line, problem.column) == (1, 10)


def test_empty_document_is_a_problem():
    """An empty or blank event is not valid: there is nothing to send."""
    for text in ("", "  \n\t"):
        problem = check_json(text)
        assert problem is not None
        assert (problem.line, problem.column) == (1, 1)
        assert "Empty" in problem.message


def test_trailing_text_is_a_problem():
    """Anything after the document is extra data, reported where it starts."""
    assert check_json('{"a": 1}\n,') == JsonProblem(2, 1, "Extra data")


def test_nan_and_infinity_are_rejected_where_they_stand():
    """NaN and Infinity are not JSON, even though Python's parser accepts them."""
    assert check_json('{\n  "x": "NaN",\n  "y": -Infinity\n}') == JsonProblem(
        3, 8, "-Infinity is not valid JSON"
    )
    assert check_json("[NaN]") == JsonProblem(1, 2, "NaN is not valid JSON")


def test_format_indents_with_two_spaces_and_keeps_non_ascii():
    """Format gives 2-space indentation and leaves accents and emoji readable."""
    assert format_json('{"name":"Zoë 😀","tags":["a"],"empty":{},"none":[]}') == (
        '{\n  "name": "Zoë 😀",\n  "tags": [\n    "a"\n  ],\n  "empty": {},\n  "none": []\n}\n'
    )


def test_format_keeps_numbers_order_and_duplicate_keys():
    """Formatting never changes what the function receives: numbers, key order, duplicates."""
    text = '{"z": 1.10, "big": 12345678901234567890.123456789, "e": 1e400, "z": -0}'
    formatted = format_json(text)
    assert formatted.splitlines()[1:5] == [
        '  "z": 1.10,',
        '  "big": 12345678901234567890.123456789,',
        '  "e": 1e400,',
        '  "z": -0',
    ]
    assert json.loads(formatted) == json.loads(text)


def test_format_of_scalars_and_strings_with_escapes():
    """Top-level scalars format too, and escapes stay valid JSON."""
    assert format_json("  42 ") == "42\n"
    assert format_json('"line\\nbreak \\"quoted\\""') == '"line\\nbreak \\"quoted\\""\n'


def test_format_refuses_invalid_json():
    """Format raises with the problem's position instead of guessing."""
    with pytest.raises(ValueError, match="line 1, column 6"):
        format_json('{"a" 1}')
