"""The page's own scripts and stylesheets as shipped: their comments left out.

templates/static/*.js and *.css are commented for the people who maintain them; a reader's browser
needs none of it, and the comments were about a third of those files' compressed bytes (site.js:
13.2 KB gzip with them, 7.6 KB without). Only comments go: every other character, line breaks
included, is kept, so an error in a reader's console still names a line of code as it stands.

The scanner knows the parts of JavaScript where "/*" or "//" is not a comment: string literals,
template literals (without `${`, which this page's scripts do not use: one stops the build rather
than risk a wrong cut) and regular-expression literals (a "/" where a value may start). CSS has
strings and comments only. Anything it cannot scan safely (an unterminated string, comment or
literal) is a ContentError naming the file and line, so a broken cut can never ship.
"""

from __future__ import annotations

from functools import lru_cache

from kdsite.errors import ContentError

# After one of these characters (or at the start), "/" starts a regular expression, not a division.
_REGEX_AFTER = set("(,=:[!&|?{};+-*%<>~^")
_REGEX_KEYWORDS = {"return", "typeof", "case", "in", "of", "void", "delete", "throw", "new", "else", "do",
                   "instanceof", "yield", "await"}


class _Scanner:
    def __init__(self, text: str, name: str):
        self.text, self.name = text, name
        self.out: list[str] = []
        self.position = 0

    def fail(self, what: str, start: int) -> ContentError:
        line = self.text.count("\n", 0, start) + 1
        return ContentError(self.name, line, "", f"{what}: the file's comments cannot be left out safely",
                            "close it on the line it opens, or build the value with + instead of ${…}")

    def copy_quoted(self, quote: str) -> None:
        """A string (or template) literal from its opening quote through its closing one."""
        text, start = self.text, self.position
        index = start + 1
        while index < len(text):
            char = text[index]
            if char == "\\":
                index += 2
                continue
            if char == quote:
                self.out.append(text[start:index + 1])
                self.position = index + 1
                return
            if quote == "`" and text.startswith("${", index):
                raise self.fail("a template literal with ${…}", start)
            if char == "\n" and quote != "`":
                break
            index += 1
        raise self.fail("an unterminated string", start)

    def skip_comment(self) -> None:
        text, start = self.text, self.position
        if text.startswith("/*", start):
            end = text.find("*/", start + 2)
            if end < 0:
                raise self.fail("an unterminated comment", start)
            self.position = end + 2
        else:
            end = text.find("\n", start)
            self.position = len(text) if end < 0 else end
        # A comment between two pieces of code on one line keeps them apart.
        self.out.append(" ")

    def copy_regex(self) -> None:
        text, start = self.text, self.position
        index, in_class = start + 1, False
        while index < len(text) and text[index] != "\n":
            char = text[index]
            if char == "\\":
                index += 2
                continue
            if char == "[":
                in_class = True
            elif char == "]":
                in_class = False
            elif char == "/" and not in_class:
                index += 1
                while index < len(text) and (text[index].isalnum() or text[index] == "_"):
                    index += 1  # flags
                self.out.append(text[start:index])
                self.position = index
                return
            index += 1
        raise self.fail("an unterminated regular expression", start)

    def regex_may_start(self) -> bool:
        """Whether a "/" here starts a regular expression: after an operator or an opening bracket,
        at the start, or after a keyword such as `return`; after a name, a number or a closing
        bracket it divides."""
        before = "".join(self.out).rstrip()
        if not before or before[-1] in _REGEX_AFTER:
            return True
        word = len(before)
        while word > 0 and (before[word - 1].isalnum() or before[word - 1] in "_$"):
            word -= 1
        return before[word:] in _REGEX_KEYWORDS and (word == 0 or before[word - 1] != ".")


def _strip(text: str, name: str, javascript: bool) -> str:
    """`text` without its comments; every line break stays, so line numbers still match the source."""
    scanner = _Scanner(text, name)
    plain_start = 0
    while scanner.position < len(text):
        index = scanner.position
        char = text[index]
        if char in "'\"" or (javascript and char == "`"):
            scanner.out.append(text[plain_start:index])
            scanner.copy_quoted(char)
            plain_start = scanner.position
        elif text.startswith("/*", index) or (javascript and text.startswith("//", index)):
            scanner.out.append(text[plain_start:index])
            scanner.skip_comment()
            scanner.out.append("\n" * text.count("\n", index, scanner.position))
            plain_start = scanner.position
        elif javascript and char == "/":
            scanner.out.append(text[plain_start:index])
            if scanner.regex_may_start():
                scanner.copy_regex()
            else:
                scanner.out.append("/")
                scanner.position += 1
            plain_start = scanner.position
        else:
            scanner.position += 1
    scanner.out.append(text[plain_start:])
    return "\n".join(line.rstrip() for line in "".join(scanner.out).split("\n"))


def without_comments(name: str, data: bytes) -> bytes:
    """A static file as shipped: a .js or .css file without its comments, anything else as it is.
    `name` is the file as an author finds it (templates/static/site.js), for the error."""
    if name.endswith((".js", ".css")):
        return _stripped(name, data)
    return data


@lru_cache(maxsize=32)
def _stripped(name: str, data: bytes) -> bytes:
    """Remembered for the process: the same file scanned again gives the same bytes, and a process
    that builds more than once (`kdsite serve`, the tests) scanned the same 25 ms of files each time."""
    return _strip(data.decode("utf-8"), name, javascript=name.endswith(".js")).encode("utf-8")
