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


@contextmanager
def ctrl_c_recorded(after_one=False):
    """Within the block, a first Ctrl-C that would raise KeyboardInterrupt
    (Python's default handler) is only recorded, in the list the block gets,
    so that the block's work runs to its end; a second raises, to get out of
    a block that hangs (with ``after_one``, one already taken before the block,
    the first raises). A handler of the caller's own, or none, is left to act.
    """
    arrived = [signal.SIGINT] if after_one else []

    def record(signum, frame):
        if arrived:
            raise KeyboardInterrupt
        arrived.append(signum)

    takes_over = signal.getsignal(signal.SIGINT) is signal.default_int_handler
    with handlers_set([signal.SIGINT] if takes_over else [], record):
        yield arrived


@contextmanager
def signals_held():
    """Hold Ctrl-C, SIGTERM and SIGHUP until the block ends, so that a clean-up
    runs to its end: their handlers only record them meanwhile, and the first
    to arrive is sent again after (to the handler it would have met).

    Handlers, not a signal mask: the kernel hands a signal to any thread that
    does not block it, and torch runs threads of its own. A no-op outside the
    main thread, where handlers cannot be set.
    """
    arrived = []
    try:
        with handlers_set([signal.SIGINT, *TERMINATING_SIGNALS],
                          lambda signum, frame: arrived.append(signum)):
            yield
    finally:
        if arrived:  # raise_signal, not os.kill: on Windows that terminates the process
            signal.raise_signal(arrived[0])
