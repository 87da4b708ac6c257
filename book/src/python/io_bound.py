"""I/O-bound: requests that each wait 1 ms for a simulated reply.

The same job as Rust's `wait_for_replies` (exercise 05): the checksum adds
the top 24 bits of mix(i) of every request, so it matches Rust's.
Run: python3 book/src/python/io_bound.py --size 200
"""

import time

from cpu_bound import mix
from harness import four_ways, main


# ANCHOR: job
def wait_for_replies(lo, hi):
    checksum = 0
    for i in range(lo, hi):
        time.sleep(0.001)  # the GIL is released while a thread sleeps
        checksum += mix(i) >> 40
    return checksum
# ANCHOR_END: job


if __name__ == "__main__":
    main(
        "I/O-bound: requests that wait 1 ms each",
        200,
        wait_for_replies,
        four_ways(wait_for_replies),
    )
