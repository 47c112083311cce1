"""Presenter mode's content: the scenes of content/scenes.yaml and the site's public address.

A scene is a figure and the values of some of its controls, written as a settings link writes them
(`temperature-slider: 4`). This stage checks their form; whether the figure is on the page and the
controls can take those values is checked against the rendered figures (kdsite/page/presenter.py),
with the file, line and field kept here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from kdsite.content import limits, schema
from kdsite.content.fields import Reader
from kdsite.content.yamlload import Located

FILE = "content/scenes.yaml"
HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
UNSAFE = set(' "<>\\^`{|}')


@dataclass(frozen=True)
class Setting:
    """One control's value in a scene, as a link writes it, with where it was written."""

    control: str
    value: str
    field: str
    line: int | None


@dataclass(frozen=True)
class Scene:
    """A figure with some of its controls set, and an optional title and caption."""

    figure: str
    settings: tuple[Setting, ...]
    title: str | None
    caption: str | None
    field: str
    line: int | None


def public_url_problem(url: str) -> str | None:
    """Why `url` cannot be the site's public address, or None: https, a host, no user name or
    password, no query, no fragment, printable ASCII without spaces or quotes."""
    if not url.startswith("https://"):
        return "must start with https://"
    if any(ord(char) < 33 or ord(char) > 126 or char in UNSAFE for char in url):
        return ("holds a space, a quote, a backslash, a control or a non-ASCII character "
                "(write an international domain in its xn-- form, and percent-encode the path)")
    if PERCENT.search(url):
        return "holds a % that does not start a percent-encoded byte"
    parts = urlsplit(url)
    if "@" in parts.netloc:
        return "must not hold a user name or password"
    if "?" in url:
        return "must not have a query (?…): presenter links add their own settings"
    if "#" in url:
        return "must not have a fragment (#…): presenter links add their own"
    try:
        parts.port
    except ValueError:
        return "has a port that is not a number from 0 to 65535"
    host = (parts.hostname or "").rstrip(".")
    if not host or not HOST.match(host) or host.replace(".", "").isdigit() and host.count(".") != 3:
        return "has no valid host name"
    return None


def scene_url(base_url: str, address: str) -> str:
    """The public link of a page address (`SECTION?ID=VALUE` or an id) under the site's base URL."""
    base = base_url if base_url.endswith(("/", ".html")) else base_url + "/"
    return f"{base}#{address}"


def read_scenes(located: Located, errors: list, warnings: list) -> tuple[Scene, ...]:
    """The scenes of content/scenes.yaml, each control value as link text; () after recording problems."""
    read = Reader(located, errors, warnings)
    values = read.read(schema.SCENES)
    if values is None or values["scenes"] is None:
        return ()
    scenes = []
    for index, item in enumerate(values["scenes"]):
        path = f"scenes[{index}]"
        written = item["settings"] or {}
        if len(written) > limits.MAX_SCENE_SETTINGS:
            read.fail(f"{path}.settings", f"sets {len(written)} controls, more than {limits.MAX_SCENE_SETTINGS}",
                      "a figure has a few controls; split the scene")
            continue
        settings = tuple(Setting(str(control), value, f"{path}.settings.{control}",
                                 located.line(f"{path}.settings.{control}"))
                         for control, value in written.items())
        scenes.append(Scene(item["figure"], settings, item["title"], item["caption"], path,
                            located.line(path)))
    return () if read.failed() else tuple(scenes)
