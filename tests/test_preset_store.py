"""Event presets on disk: listing, saving, renaming, deleting, and the names a preset may have."""

import json

import pytest

from workbench.core.workspace.atomic_write import write_text_atomic
from workbench.core.workspace.preset_store import FUNCTION, SHARED, PresetError, PresetStore, check_preset_name


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_saved_preset_is_plain_json_on_disk_and_reads_back(tmp_path):
    """A saved preset is the event text itself, where sam local invoke -e expects it."""
    store = PresetStore(tmp_path)
    text = '{\n  "order_id": "A-1",\n  "note": "café ☕"\n}\n'
    saved = store.save("new-order", text, "OrderConfirmation")
    path = tmp_path / "events" / "OrderConfirmation" / "new-order.json"
    assert saved.path == path
    assert path.read_text(encoding="utf-8") == text
    assert json.loads(path.read_text(encoding="utf-8")) == {"order_id": "A-1", "note": "café ☕"}
    again = store.read("new-order", "OrderConfirmation")
    assert (again.name, again.scope, again.text, again.problem) == ("new-order", FUNCTION, text, None)


def test_shared_preset_lives_directly_in_events(tmp_path):
    """A preset saved without a function is shared: events/<name>.json."""
    saved = PresetStore(tmp_path).save("empty", "{}")
    assert saved.scope == SHARED
    assert (tmp_path / "events" / "empty.json").read_text() == "{}"


def test_atomic_save_leaves_no_temporary_files(tmp_path):
    """Saving over and over leaves only the preset files in the folder."""
    store = PresetStore(tmp_path)
    for i in range(5):
        store.save("a", json.dumps({"i": i}), "Fn")
        store.save("b", json.dumps({"i": i}))
    assert sorted(p.name for p in (tmp_path / "events").iterdir()) == ["Fn", "b.json"]
    assert [p.name for p in (tmp_path / "events" / "Fn").iterdir()] == ["a.json"]
    assert store.read("a", "Fn").text == '{"i": 4}'


def test_failed_write_keeps_the_old_file_and_no_temporary(tmp_path):
    """When writing fails half way, the previous content stays and no temporary file is left."""
    path = tmp_path / "kept.json"
    path.write_text('{"old": true}')
    with pytest.raises(UnicodeEncodeError):
        write_text_atomic(path, '{"bad": "\udc80"}')
    assert path.read_text() == '{"old": true}'
    assert [p.name for p in tmp_path.iterdir()] == ["kept.json"]


def test_function_presets_come_before_shared_ones_each_sorted(tmp_path):
    """The list shows the function's own presets first, then the shared ones, each alphabetically."""
    events = tmp_path / "events"
    for path in (events / "zeta.json", events / "Alpha.json", events / "Fn" / "b.json",
                 events / "Fn" / "a.json", events / "Other" / "theirs.json"):
        _write(path, "{}")
    listed = PresetStore(tmp_path).list("Fn")
    assert [(p.name, p.scope) for p in listed] == [
        ("a", FUNCTION), ("b", FUNCTION), ("Alpha", SHARED), ("zeta", SHARED)]


def test_listing_a_workspace_without_events_is_empty(tmp_path):
    """A workspace with no events folder simply has no presets."""
    assert PresetStore(tmp_path).list("Fn") == []


def test_broken_file_is_listed_with_its_problem(tmp_path):
    """A file with a JSON error shows up, marked with the line and column of the error."""
    _write(tmp_path / "events" / "Fn" / "typo.json", '{\n  "a": 1,\n  "b": \n}\n')
    (tmp_path / "events" / "Fn" / "latin1.json").write_bytes(b'{"a": "caf\xe9"}')
    _write(tmp_path / "events" / "Fn" / "good.json", "{}")
    listed = {p.name: p for p in PresetStore(tmp_path).list("Fn")}
    assert listed["typo"].problem == "line 4, column 1: Expecting value"
    assert listed["typo"].text == '{\n  "a": 1,\n  "b": \n}\n'
    assert listed["latin1"].problem.startswith("not UTF-8 text")
    assert listed["good"].problem is None


def test_broken_file_is_not_overwritten_without_consent(tmp_path):
    """Saving over a file that does not parse is refused, naming the file, until the caller insists."""
    path = tmp_path / "events" / "Fn" / "typo.json"
    _write(path, '{"a": ')
    store = PresetStore(tmp_path)
    with pytest.raises(PresetError, match="typo.json does not parse"):
        store.save("typo", '{"a": 1}', "Fn")
    assert path.read_text() == '{"a": '
    store.save("typo", '{"a": 1}', "Fn", overwrite_broken=True)
    assert path.read_text() == '{"a": 1}'


def test_invalid_json_text_is_refused_with_line_and_column(tmp_path):
    """The editor's text is only saved when it is JSON; the error says where it goes wrong."""
    with pytest.raises(PresetError) as caught:
        PresetStore(tmp_path).save("bad", '{\n  "a": 1\n  "b": 2\n}', "Fn")
    assert "bad.json" in str(caught.value)
    assert "line 3, column 3" in str(caught.value)
    assert not (tmp_path / "events" / "Fn" / "bad.json").exists()


@pytest.mark.parametrize("name", [
    "", "   ", "../x", "a/b", "a\\b", "..", ".hidden", "tab\there", "new\nline", "a" * 101,
    "what?", "a:b", "x.json", "CON", "trailing ", "dot.",
])
def test_unusable_names_are_refused(name):
    """Names that escape the folder or break on some file system are refused with a reason."""
    assert check_preset_name(name)


@pytest.mark.parametrize("name", ["new-order", "Big order (2)", "café", "a" * 100, "v1.2 retry"])
def test_ordinary_names_are_accepted(name):
    """Everyday names pass the check."""
    assert check_preset_name(name) is None


def test_traversal_name_never_writes_outside_the_events_folder(tmp_path):
    """Saving as '../x' is refused and nothing appears next to the events folder."""
    store = PresetStore(tmp_path / "ws")
    with pytest.raises(PresetError, match=r"\.\."):
        store.save("../x", "{}", "Fn")
    with pytest.raises(PresetError, match="/"):
        store.save("a/b", "{}")
    assert not list(tmp_path.rglob("*.json"))


def test_rename_moves_the_file_and_refuses_an_existing_target(tmp_path):
    """Renaming keeps the content under the new name and never replaces another preset."""
    store = PresetStore(tmp_path)
    first = store.save("first", '{"n": 1}', "Fn")
    store.save("taken", '{"n": 2}', "Fn")
    with pytest.raises(PresetError, match="taken.json already exists"):
        store.rename(first, "taken")
    assert store.read("taken", "Fn").text == '{"n": 2}'
    renamed = store.rename(first, "second")
    assert not first.path.exists()
    assert renamed.path.read_text() == '{"n": 1}'
    assert [p.name for p in store.list("Fn")] == ["second", "taken"]
    with pytest.raises(PresetError, match="cannot contain"):
        store.rename(renamed, "../escape")


def test_broken_preset_can_be_renamed(tmp_path):
    """A broken file can still be renamed; it keeps its problem."""
    _write(tmp_path / "events" / "oops.json", "{")
    store = PresetStore(tmp_path)
    renamed = store.rename(store.list(None)[0], "still-oops")
    assert renamed.problem and (tmp_path / "events" / "still-oops.json").read_text() == "{"


def test_delete_removes_the_file(tmp_path):
    """A deleted preset is gone from the disk and from the list; deleting twice is harmless."""
    store = PresetStore(tmp_path)
    preset = store.save("gone", "{}", "Fn")
    store.delete(preset)
    store.delete(preset)
    assert not preset.path.exists()
    assert store.list("Fn") == []


def test_reading_a_missing_preset_names_the_file(tmp_path):
    """Asking for a preset that does not exist fails with the path in the message."""
    with pytest.raises(PresetError, match="nope.json"):
        PresetStore(tmp_path).read("nope", "Fn")


def test_python_only_constants_make_a_preset_broken(tmp_path):
    """NaN parses in Python but not in Node or the Lambda console, so it is not saved as an event."""
    with pytest.raises(PresetError, match="NaN"):
        PresetStore(tmp_path).save("nan", '{"x": NaN}', "Fn")
