"""Overhead: what one worker costs in CPython.

The twin of the Rust `overhead` workload (exercise 07, chapter "Overhead"):
SIZE workers started and ended one after the other, for each way:

* threading.Thread: start and join a thread that does nothing;
* Process (fork / forkserver / spawn): start and join a process that does
  nothing, with each start method this platform has. `fork` copies this
  process; `spawn` starts a fresh interpreter that imports this file;
  `forkserver` forks from a small server process started once (the default
  on Linux since Python 3.14).

The checksum is SIZE, the number of workers that ended, as in Rust.
Run: python3 book/src/python/overhead.py --size 20
"""

import multiprocessing
import platform
import threading

from harness import arguments, measure, print_json


def nothing():
    pass


def threads(size):
    for _ in range(size):
        t = threading.Thread(target=nothing)
        t.start()
        t.join()
    return size


def processes(method):
    context = multiprocessing.get_context(method)

    def run(size):
        for _ in range(size):
            p = context.Process(target=nothing)
            p.start()
            p.join()
            if p.exitcode != 0:
                raise SystemExit(f"a {method} process exited with {p.exitcode}")
        return size
    return run


if __name__ == "__main__":  # required: `spawn` and `forkserver` import this file
    args = arguments("the cost of one worker: start and end SIZE of each, one after the other", 20)
    ways = {"threading.Thread": threads}
    for method in ("fork", "forkserver", "spawn"):
        if method in multiprocessing.get_all_start_methods():
            ways[f"Process ({method})"] = processes(method)
    runs = [(name, 1, lambda way=way: way(args.size)) for name, way in ways.items()]
    rows = measure(runs, args.size, args.rounds)
    if args.json:
        print_json(args.size, rows)
    else:
        print(f"Python {platform.python_version()}: {args.size} workers per row, median of {args.rounds} rounds")
        thread = next(row["median_s"] for row in rows if row["variant"] == "threading.Thread")
        for row in rows:
            print(f"{row['variant']:<24}{row['median_s'] / args.size * 1e6:>12.1f} us each {row['median_s'] / thread:>9.2f}x a thread")
