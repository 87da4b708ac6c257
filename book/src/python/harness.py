"""The timing harness shared by the Python scripts of the appendix.

The same method as `cargo xtask measure`: a warm-up, then interleaved rounds
(A B C, A B C, ...) and the median of each. Run a script directly for a
readable table, or with --json for `cargo xtask measure --python`.
"""

from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
import argparse
import json
import multiprocessing
import platform
import statistics
import threading
import time


def split(lo, hi, parts):
    """Cuts range(lo, hi) into at most `parts` nearly equal pieces, in order."""
    n = hi - lo
    parts = min(parts, n)
    pieces, start = [], lo
    for k in range(parts):
        size = n // parts + (1 if k < n % parts else 0)
        pieces.append((start, start + size))
        start += size
    return pieces


# ANCHOR: ways
def four_ways(job):
    """The four ways to split `job(lo, hi)` over workers, each a function
    `(lo, hi, workers)` that adds up the pieces' answers. `job` must be a
    module-level function: the process pools send it to their workers by name.
    """
    def with_threads(lo, hi, workers):
        """threading: one Thread per piece. They share memory but take turns on the GIL."""
        results = [0] * workers
        def work(k, piece):
            results[k] = job(*piece)
        threads = [threading.Thread(target=work, args=(k, piece)) for k, piece in enumerate(split(lo, hi, workers))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return sum(results)

    def with_processes(lo, hi, workers):
        """multiprocessing: a pool of processes, started (and paid for) on every call."""
        with multiprocessing.Pool(workers) as pool:
            return sum(pool.starmap(job, split(lo, hi, workers)))

    def with_thread_pool(lo, hi, workers):
        with ThreadPoolExecutor(workers) as pool:
            return sum(pool.map(job, *zip(*split(lo, hi, workers))))

    def with_process_pool(lo, hi, workers):
        with ProcessPoolExecutor(workers) as pool:
            return sum(pool.map(job, *zip(*split(lo, hi, workers))))

    return {
        "threading": with_threads,
        "multiprocessing": with_processes,
        "ThreadPoolExecutor": with_thread_pool,
        "ProcessPoolExecutor": with_process_pool,
    }
# ANCHOR_END: ways


def arguments(about, default_size):
    """The command line every script takes (`cargo xtask measure --python` passes it)."""
    parser = argparse.ArgumentParser(description=about)
    parser.add_argument("--size", type=int, default=default_size)
    parser.add_argument("--workers", default="1,2,3,4", help="comma-separated worker counts")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="one JSON object, for cargo xtask measure --python")
    return parser.parse_args()


def measure(runs, expected, rounds):
    """Times `runs`, a list of (variant, workers, function): a warm-up that
    checks every answer against `expected`, then interleaved rounds. Returns
    one row per run with its median and its rounds' times."""
    # ANCHOR: method
    for name, w, run in runs:
        got = run()  # warm-up, and the check that matters most
        if got != expected:
            raise SystemExit(f"{name} with {w} workers gave {got}, not {expected}")
    samples = {i: [] for i in range(len(runs))}
    for r in range(rounds):
        for k in range(len(runs)):
            i = (r + k) % len(runs)  # start one place later each round
            start = time.perf_counter()
            got = runs[i][2]()
            samples[i].append(time.perf_counter() - start)
            if got != expected:
                raise SystemExit(f"{runs[i][0]} changed its answer")
    # ANCHOR_END: method
    # samples_s, in round order, gives `cargo xtask measure --python` the
    # spread of each row and the paired ratios of its speedup range.
    return [
        {"variant": name, "workers": w, "median_s": statistics.median(samples[i]), "samples_s": samples[i]}
        for i, (name, w, _) in enumerate(runs)
    ]


def print_json(expected, rows):
    print(json.dumps({"python": platform.python_version(), "checksum": expected, "rows": rows}))


def main(about, default_size, sequential, variants):
    """`sequential(lo, hi)` gives the checksum; `variants` maps a name to a
    function `(lo, hi, workers)` that must give the same checksum."""
    args = arguments(about, default_size)
    workers = [int(w) for w in args.workers.split(",")]
    size = args.size

    runs = [("sequential", 1, lambda: sequential(0, size))]
    for name, variant in variants.items():
        for w in workers:
            runs.append((name, w, lambda variant=variant, w=w: variant(0, size, w)))
    expected = sequential(0, size)
    rows = measure(runs, expected, args.rounds)
    if args.json:
        print_json(expected, rows)
        return
    base = rows[0]["median_s"]
    print(f"Python {platform.python_version()}: {about}, size {size}, median of {args.rounds} rounds")
    print(f"{'variant':<22}{'workers':>8}{'median':>12}{'speedup':>9}")
    for row in rows:
        print(f"{row['variant']:<22}{row['workers']:>8}{row['median_s']*1e3:>10.1f} ms{base/row['median_s']:>8.2f}x")
