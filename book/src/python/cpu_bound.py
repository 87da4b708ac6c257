"""CPU-bound: count the pseudo-random points inside the quarter circle.

The same job as Rust's `count_inside` (exercise 05), bit for bit, so the
checksums match. Run: python3 book/src/python/cpu_bound.py --size 1000000
"""

from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
import multiprocessing
import threading

from harness import main, split

MASK = (1 << 64) - 1


def mix(i):
    """SplitMix64's output function, as in the Rust crate."""
    z = (i + 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def count_inside(lo, hi):
    inside = 0
    for i in range(lo, hi):
        bits = mix(i)
        x, y = bits >> 32, bits & 0xFFFFFFFF
        if x * x + y * y < (1 << 64):
            inside += 1
    return inside


def with_threads(lo, hi, workers):
    """threading: one Thread per piece. They share memory but take turns on the GIL."""
    results = [0] * workers
    def work(k, piece):
        results[k] = count_inside(*piece)
    threads = [threading.Thread(target=work, args=(k, piece)) for k, piece in enumerate(split(lo, hi, workers))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(results)


def with_processes(lo, hi, workers):
    """multiprocessing: a pool of processes, started (and paid for) on every call."""
    with multiprocessing.Pool(workers) as pool:
        return sum(pool.starmap(count_inside, split(lo, hi, workers)))


def with_thread_pool(lo, hi, workers):
    with ThreadPoolExecutor(workers) as pool:
        return sum(pool.map(count_inside, *zip(*split(lo, hi, workers))))


def with_process_pool(lo, hi, workers):
    with ProcessPoolExecutor(workers) as pool:
        return sum(pool.map(count_inside, *zip(*split(lo, hi, workers))))


if __name__ == "__main__":  # required: worker processes import this file
    main(
        "CPU-bound: count points inside the quarter circle",
        1_500_000,
        count_inside,
        {
            "threading": with_threads,
            "multiprocessing": with_processes,
            "ThreadPoolExecutor": with_thread_pool,
            "ProcessPoolExecutor": with_process_pool,
        },
    )
