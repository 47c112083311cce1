"""kdsite/content/yamlload.py: hostile YAML fails fast with file:line, and a byte-order mark is harmless.

The attacks run in a subprocess with a generous timeout: a hang guard, not a timing assertion.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kdsite.errors import ContentError
from kdsite.content.yamlload import MAX_FILE_BYTES, MAX_NESTING, MAX_VALUES, load_yaml, parse_yaml

ROOT = Path(__file__).resolve().parents[1]

BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
    for previous, name in zip("abcdefghi", "bcdefghij"))


def error_of(text: str, first_line: int = 1) -> ContentError:
    with pytest.raises(ContentError) as caught:
        parse_yaml(text, "content/x.yaml", first_line)
    return caught.value


def load_in_subprocess(tmp_path: Path, name: str, data: bytes) -> str:
    """Load a file in a fresh interpreter (killed after 60 s) and return the error it raised."""
    path = tmp_path / name
    path.write_bytes(data)
    script = textwrap.dedent(f"""
        from pathlib import Path
        from kdsite.errors import ContentError
        from kdsite.content.yamlload import load_yaml
        try:
            load_yaml(Path({str(path)!r}), "content/{name}")
        except ContentError as error:
            print(error)
        else:
            print("loaded")
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_billion_laughs_is_refused_at_its_first_anchor(tmp_path):
    assert load_in_subprocess(tmp_path, "laughs.yaml", BILLION_LAUGHS.encode()) == (
        "content/laughs.yaml:1: anchors and aliases (&name, *name) are not allowed "
        "(hint: write each value out in full where it is used)")


def test_an_alias_alone_is_refused_with_its_line():
    error = error_of("defaults: {epochs: 3}\nteacher:\n  <<: *defaults\n")
    assert (error.file, error.line, error.field) == ("content/x.yaml", 3, "")
    assert "anchors and aliases" in error.message


def test_an_anchor_in_front_matter_names_the_markdown_line():
    error = error_of("id: intro\ntitle: &t Intro\n", first_line=2)
    assert error.line == 3 and "anchors and aliases" in error.message


@pytest.mark.parametrize("text, line", [
    ("[" * 10_000 + "]" * 10_000, 1),
    ("- " * 10_000 + "1\n", 1),
    ("".join(" " * depth + f"k{depth}:\n" for depth in range(100)), MAX_NESTING + 1),
], ids=["flow", "block-sequence", "block-mapping"])
def test_deep_nesting_is_refused_while_scanning(tmp_path, text, line):
    message = load_in_subprocess(tmp_path, "deep.yaml", text.encode())
    assert message == (f"content/deep.yaml:{line}: lists and mappings nested more than {MAX_NESTING} deep "
                       f"(hint: content needs at most {MAX_NESTING} levels; flatten the data)")


def test_nesting_at_the_limit_loads():
    text = "[" * MAX_NESTING + "1" + "]" * MAX_NESTING
    located = parse_yaml(text, "content/x.yaml")
    value = located.data
    for _ in range(MAX_NESTING - 1):
        value = value[0]
    assert value == [1]


def test_a_fifty_megabyte_file_is_refused_unread(tmp_path):
    message = load_in_subprocess(tmp_path, "big.yaml", b"# padding\n" * 5_000_000)
    assert message == (f"content/big.yaml: file is 50,000,000 bytes, more than the limit of {MAX_FILE_BYTES:,} "
                       "bytes (256 KB) (hint: content files are short text; split it or remove what is not content)")


def test_a_file_at_the_size_limit_loads(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes(b"a: 1\n" + b"#" * (MAX_FILE_BYTES - 6) + b"\n")
    assert path.stat().st_size == MAX_FILE_BYTES
    assert load_yaml(path, "content/x.yaml").data == {"a": 1}


def test_too_many_values_are_refused_before_construction(tmp_path):
    message = load_in_subprocess(tmp_path, "many.yaml", ("x: [" + ",".join(["1"] * 100_000) + "]").encode())
    assert message.startswith(f"content/many.yaml:1: more than {MAX_VALUES:,} values in one file (hint:")


def test_a_byte_order_mark_is_dropped_and_lines_stay(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes("\ufeffa: 1\nb:\n  - 2\n".encode())
    located = load_yaml(path, "content/x.yaml")
    assert located.data == {"a": 1, "b": [2]}
    assert (located.line("a"), located.line("b[0]")) == (1, 3)


def test_a_byte_order_mark_keeps_the_line_of_a_bad_byte(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: 1\nb: \xe9\n")
    with pytest.raises(ContentError) as caught:
        load_yaml(path, "content/x.yaml")
    assert (caught.value.line, caught.value.message) == (2, "file is not valid UTF-8")


@pytest.mark.parametrize("separator", ["\\u2028", "\\u2029"])
def test_unicode_line_separators_in_text_are_refused_with_their_line(separator):
    with pytest.raises(ContentError) as caught:
        parse_yaml(f'classes: [cat, dog]\nexamples:\n  - label: "a{separator}b"\n', "content/examples.yaml")
    assert caught.value.line == 3 and "U+2028 or U+2029" in caught.value.message
