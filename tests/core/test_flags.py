"""A ContextFlag is on only inside its block, and only where it was set."""

import threading

from core.flags import ContextFlag


def test_on_inside_its_block_and_off_after_even_when_nested():
    flag = ContextFlag("test_flag")
    assert not flag.is_on()
    with flag.on():
        assert flag.is_on()
        with flag.on():
            assert flag.is_on()
        assert flag.is_on()  # the inner block ending does not switch the outer one off
    assert not flag.is_on()


def test_another_thread_does_not_see_it():
    flag = ContextFlag("test_flag_threads")
    seen = []
    with flag.on():
        worker = threading.Thread(target=lambda: seen.append(flag.is_on()))
        worker.start()
        worker.join()
    assert seen == [False]
