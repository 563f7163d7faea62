"""Loaded at the start of a `villagebot` process that an end-to-end test started with
`tests.e2e.process.clock_at`: with VILLAGEBOT_TEST_CLOCK_SHIFT (seconds) set, the process's
wall clocks run that far ahead, as if the test had waited (time-machine; the monotonic clock,
which timers count on, is untouched)."""

import os

_shift = os.environ.get("VILLAGEBOT_TEST_CLOCK_SHIFT")
if _shift:
    import time

    import time_machine

    # A timestamp, not a datetime: time-machine would set TZ to the datetime's zone.
    time_machine.travel(time.time() + float(_shift), tick=True).start()
    time.time()  # time-machine's clock starts ticking at its first reading
