"""I/O-bound: requests that each wait 1 ms for a simulated reply.

The same job as Rust's `wait_for_replies` (exercise 05): the checksum adds
the top 24 bits of mix(i) of every request, so it matches Rust's.
Run: python3 book/src/python/io_bound.py --size 200
"""

from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
import multiprocessing
import threading
import time

from cpu_bound import mix
from harness import main, split


# ANCHOR: job
def wait_for_replies(lo, hi):
    checksum = 0
    for i in range(lo, hi):
        time.sleep(0.001)  # the GIL is released while a thread sleeps
        checksum += mix(i) >> 40
    return checksum
# ANCHOR_END: job


def with_threads(lo, hi, workers):
    results = [0] * workers
    def work(k, piece):
        results[k] = wait_for_replies(*piece)
    threads = [threading.Thread(target=work, args=(k, piece)) for k, piece in enumerate(split(lo, hi, workers))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(results)


def with_processes(lo, hi, workers):
    with multiprocessing.Pool(workers) as pool:
        return sum(pool.starmap(wait_for_replies, split(lo, hi, workers)))


def with_thread_pool(lo, hi, workers):
    with ThreadPoolExecutor(workers) as pool:
        return sum(pool.map(wait_for_replies, *zip(*split(lo, hi, workers))))


def with_process_pool(lo, hi, workers):
    with ProcessPoolExecutor(workers) as pool:
        return sum(pool.map(wait_for_replies, *zip(*split(lo, hi, workers))))


if __name__ == "__main__":
    main(
        "I/O-bound: requests that wait 1 ms each",
        200,
        wait_for_replies,
        {
            "threading": with_threads,
            "multiprocessing": with_processes,
            "ThreadPoolExecutor": with_thread_pool,
            "ProcessPoolExecutor": with_process_pool,
        },
    )
