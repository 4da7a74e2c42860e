"""Signal handlers for the span of a block, as the command line's runs use them."""

import signal
from contextlib import contextmanager

#: Signals that end the process by default and that a run turns into an
#: interrupt, to clean up after itself: ``timeout``, batch schedulers and
#: ``docker stop`` send SIGTERM, a closed terminal SIGHUP.
TERMINATING_SIGNALS = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP")
                       if hasattr(signal, name)]


@contextmanager
def handlers_set(numbers, handler):
    """Within the block, ``handler`` handles each signal of ``numbers``; the
    earlier handlers come back after it.

    A signal the process ignores stays ignored, and one whose handler Python
    did not set (None) is left alone, as it could not be put back. Outside
    the main thread, where handlers cannot be set, the block runs with the
    handlers as they are.
    """
    previous = {}
    try:
        for number in numbers:
            if signal.getsignal(number) not in (signal.SIG_IGN, None):
                previous[number] = signal.signal(number, handler)
    except ValueError:  # not the main thread
        pass
    try:
        yield
    finally:
        for number, earlier in previous.items():
            signal.signal(number, earlier)
