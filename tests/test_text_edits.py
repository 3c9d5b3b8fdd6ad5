"""The editing rules behind the find bar, Ctrl+/ and bracket matching, on plain strings."""

from workbench.core.text.text_edits import (SearchQuery, find_matches, matching_bracket, replace_all,
                                       toggle_comment)


def test_find_is_case_insensitive_unless_asked():
    """"Order" finds "order" by default and only "Order" with match case."""
    text = "order Order ORDER"
    assert len(find_matches(text, SearchQuery("Order")).matches) == 3
    assert find_matches(text, SearchQuery("Order", case_sensitive=True)).matches == ((6, 11),)


def test_whole_words_skip_parts_of_names():
    """Whole-word search does not stop inside order_id."""
    assert find_matches("order order_id order", SearchQuery("order", whole_word=True)).matches == (
        (0, 5), (15, 20))


def test_bad_regex_is_a_problem():
    """An unbalanced group is reported, not raised."""
    result = find_matches("x", SearchQuery("(", regex=True))
    assert result.matches == () and "missing )" in result.problem


def test_regex_replace_expands_groups():
    """Replace all with \\1 keeps each match's group."""
    assert replace_all("a1 a2", SearchQuery(r"a(\d)", regex=True), r"b\1") == ("b1 b2", 2)


def test_toggle_comment_at_the_shallowest_indent_and_back():
    """Comments go at the block's indentation, blank lines untouched, and come off again."""
    lines = ["    if x:", "        y()", "", "    z()"]
    commented = toggle_comment(lines, "#")
    assert commented == ["    # if x:", "    #     y()", "", "    # z()"]
    assert toggle_comment(commented, "#") == lines


def test_mixed_lines_are_all_commented():
    """When some lines are not commented yet, Ctrl+/ comments every line."""
    assert toggle_comment(["# a", "b"], "#") == ["# # a", "# b"]


def test_matching_bracket_pairs_nested_and_unpaired():
    """Brackets pair across nesting; an unpaired one has no partner."""
    text = "f(a[1], {b: (2)})"
    assert matching_bracket(text, 1) == (1, 16)
    assert matching_bracket(text, 17) == (16, 1)  # just after the last )
    assert matching_bracket("(]", 0) is None
    assert matching_bracket("abc", 1) is None
