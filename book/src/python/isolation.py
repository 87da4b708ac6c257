"""The price of isolation in CPython: many small jobs on a pool of threads
or a pool of worker processes, one job per task.

The twin of the Rust `isolation` workload (exercise 10, chapter "Fault
isolation"): SIZE jobs of `crunch(10000)`, each handed to a pool on its own
(`chunksize=1`), as Rust's supervisor hands each job to a worker. A
`ProcessPoolExecutor` isolates every job in a worker process and pickles it
there and back; a `ThreadPoolExecutor` shares one interpreter and its GIL.
The checksum is the xor of every job's value, as in Rust.
Run: python3 book/src/python/isolation.py --size 200
"""

from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from functools import reduce
from operator import xor

from harness import main

MASK = (1 << 64) - 1
ROUNDS = 10_000


# ANCHOR: crunch
def crunch(n):
    """The same arithmetic as Rust's `crunch`, on 64-bit words."""
    x = n ^ 0x9E3779B97F4A7C15
    for _ in range(n):
        x ^= (x << 13) & MASK
        x ^= x >> 7
        x ^= (x << 17) & MASK
    return x
# ANCHOR_END: crunch


def job(_id):
    return crunch(ROUNDS)


def sequential(lo, hi):
    return reduce(xor, map(job, range(lo, hi)), 0)


def with_threads(lo, hi, workers):
    with ThreadPoolExecutor(workers) as pool:
        return reduce(xor, pool.map(job, range(lo, hi)), 0)


def with_processes(lo, hi, workers):
    with ProcessPoolExecutor(workers) as pool:
        return reduce(xor, pool.map(job, range(lo, hi), chunksize=1), 0)


if __name__ == "__main__":  # required: worker processes import this file
    main(
        "SIZE small jobs (crunch 10000), one per task, on a pool of threads or of processes",
        200,
        sequential,
        {"ThreadPoolExecutor": with_threads, "ProcessPoolExecutor": with_processes},
    )
