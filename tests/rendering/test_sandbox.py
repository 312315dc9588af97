"""The sandbox's answers about attributes are remembered per type, and stay the same answers."""

from __future__ import annotations

import pytest
from jinja2.exceptions import SecurityError

from factsheet.rendering import sandbox


@pytest.fixture
def env():
    from jinja2 import StrictUndefined

    return sandbox.sandbox_class()(undefined=StrictUndefined, autoescape=True)


@pytest.mark.parametrize(
    ("safe", "unsafe"),
    [
        ("items.index(1)", "items.append(2)"),
        ("table.keys()|list", "table.clear()"),
        ("text.upper()", "text.__class__"),
        ("items|length", "items.__class__.__mro__"),
    ],
)
def test_a_refusal_holds_after_a_safe_read_of_the_same_type_and_on_every_later_render(env, safe, unsafe):
    data = {"items": [1], "table": {"a": 1}, "text": "x"}
    env.from_string("{{ " + safe + " }}").render(**data)
    template = env.from_string("{{ " + safe + " }}{{ " + unsafe + " }}")
    for _ in range(2):
        with pytest.raises(SecurityError):
            template.render(**data)
    assert data == {"items": [1], "table": {"a": 1}, "text": "x"}


def test_every_answer_is_jinjas_own_in_any_order(env):
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    jinja = ImmutableSandboxedEnvironment()

    class Disguised(list):
        @property
        def __class__(self):  # isinstance() believes this, type() does not: asked each time
            return dict

    objects = [[1], {"a": 1}, "x", len, env, Disguised(), type, (1,), frozenset()]
    names = ["append", "index", "clear", "keys", "upper", "mro", "__class__", "_x", "__globals__", "pop"]
    asked = [(o, n) for o in objects for n in names]
    for pair in asked + asked[::-1]:
        obj, name = pair
        assert env.is_safe_attribute(obj, name, None) == jinja.is_safe_attribute(obj, name, None), pair
