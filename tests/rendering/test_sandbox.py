"""The sandbox's answers about attributes, kept per class and name, are Jinja's own."""

from __future__ import annotations

import types

import pytest
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from factsheet.rendering.sandbox import sandbox_class


def _function() -> None:
    pass


class _Pretender:
    """An object whose ``__class__`` names another class than its type."""

    @property  # type: ignore[misc]
    def __class__(self) -> type:
        return types.FunctionType


CASES = [
    ([], "append"),
    ([], "index"),
    ({}, "clear"),
    ({}, "keys"),
    ("text", "upper"),
    ("text", "__class__"),
    (_function, "__globals__"),
    (_function, "__name__"),
    (str, "mro"),
    (_Pretender(), "__code__"),
    (_Pretender(), "func_code"),
]


@pytest.mark.parametrize(("obj", "attr"), CASES)
def test_an_attribute_asked_twice_gets_jinjas_answer_both_times(obj: object, attr: str) -> None:
    sandbox = sandbox_class()()
    jinja = ImmutableSandboxedEnvironment()
    value = getattr(obj, attr, None)
    expected = jinja.is_safe_attribute(obj, attr, value)
    assert sandbox.is_safe_attribute(obj, attr, value) is expected
    assert sandbox.is_safe_attribute(obj, attr, value) is expected


def test_a_name_safe_on_one_class_stays_unsafe_on_another() -> None:
    sandbox = sandbox_class()()
    assert sandbox.from_string("{{ (1, 2).count(1) }}{{ (1, 2).index(2) }}").render() == "11"
    with pytest.raises(SecurityError, match="'append' of 'list'"):
        sandbox.from_string("{{ (1, 2).count(1) }}{{ [1].append(2) }}").render()
    with pytest.raises(SecurityError, match="'pop' of 'list'"):
        sandbox.from_string(
            "{% for i in range(3) %}{{ [1, 2].index(1) }}{% endfor %}{{ [1].pop() }}"
        ).render()


class _Shelf:
    """A class of the sheet's own with a method named like a list's mutating one."""

    def pop(self) -> str:
        return "kept"


def test_a_name_asked_of_one_class_first_is_still_checked_on_the_next() -> None:
    sandbox = sandbox_class()()
    assert sandbox.is_safe_attribute(_Shelf(), "pop", _Shelf().pop)
    assert not sandbox.is_safe_attribute([], "pop", [].pop)
    assert sandbox.is_safe_attribute(_Shelf(), "pop", _Shelf().pop)


def _spin(seconds: float) -> bool:
    """Return True when a deadline of ``seconds`` stopped an endless loop."""
    from factsheet.rendering.sandbox import Deadline, TimeUp

    try:
        with Deadline(seconds):
            while True:
                pass
    except TimeUp:
        return True
    return False


def test_a_deadline_stops_an_endless_loop_in_the_main_thread_and_leaves_no_timer() -> None:
    import signal

    before = signal.getsignal(signal.SIGPROF)
    assert _spin(0.05)
    assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGPROF) is before
    import time

    from factsheet.rendering.sandbox import Deadline

    with Deadline(0.05):  # a render that ends in time is not interrupted afterwards
        pass
    done = time.process_time() + 0.1
    while time.process_time() < done:
        pass


def test_a_deadline_stops_an_endless_loop_in_another_thread() -> None:
    import threading

    stopped: list[bool] = []
    worker = threading.Thread(target=lambda: stopped.append(_spin(0.05)))
    worker.start()
    worker.join()
    assert stopped == [True]
