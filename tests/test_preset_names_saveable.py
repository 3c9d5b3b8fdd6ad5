"""A preset name that passes the check can be saved, on this file system, temporary file included; one
that cannot (too many bytes, half a character) is refused with the reason, never an OSError or a
UnicodeEncodeError."""

import pytest

from workbench.core.workspace.atomic_write import TEMP_NAME_OVERHEAD
from workbench.core.workspace.preset_store import PresetError, PresetStore, check_preset_name

LIMIT = 255 - TEMP_NAME_OVERHEAD - len(".json")  # bytes of the name itself
LONGEST = "😀" * (LIMIT // 4) + "a" * (LIMIT % 4)


def test_the_longest_name_that_passes_is_saved_and_one_byte_more_is_refused(tmp_path):
    assert len(LONGEST.encode()) == LIMIT and check_preset_name(LONGEST) is None
    store = PresetStore(tmp_path)
    saved = store.save(LONGEST, '{"a": 1}', "Fn")
    assert saved.path.is_file() and store.read(LONGEST, "Fn").text == '{"a": 1}'
    renamed = store.rename(saved, LONGEST[:-1] + "b")
    assert renamed.path.is_file()

    longer = LONGEST + "a"
    problem = check_preset_name(longer)
    assert problem.startswith(f"This preset name is too long to save: its file name takes {LIMIT + 6} bytes")
    with pytest.raises(PresetError, match="too long to save"):
        store.save(longer, "{}", "Fn")
    with pytest.raises(PresetError, match="too long to save"):
        store.rename(renamed, longer)


@pytest.mark.parametrize("name", ["order\udc80", "\ud83d", "x\udfff y"])
def test_half_a_character_is_refused_with_its_code(tmp_path, name):
    problem = check_preset_name(name)
    assert problem and "unpaired surrogate" in problem and "U+D" in problem
    with pytest.raises(PresetError) as caught:
        PresetStore(tmp_path).save(name, "{}", "Fn")
    str(caught.value).encode("utf-8")  # printable as it is
    assert list(tmp_path.rglob("*.json")) == []


def test_a_smaller_file_system_limit_is_respected(tmp_path):
    """A file system with shorter names (eCryptfs: 143 bytes) refuses sooner, with the same reason."""
    assert check_preset_name("a" * 100, name_max=143) is None
    assert "too long to save" in check_preset_name("é" * 60, name_max=143)
