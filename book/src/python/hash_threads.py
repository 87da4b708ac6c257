"""C code that releases the GIL runs in parallel (chapter 06).

Two jobs, each run in 1 thread and then split over `--threads` threads:

* hashing: `hashlib.sha256` over large buffers. hashlib releases the GIL
  while it hashes more than 2047 bytes (the hashlib documentation), so the
  threads hash at the same time, on different cores;
* counting: a pure-Python loop. Only the thread that holds the GIL runs, so
  the threads take turns (on a free-threaded build, without the GIL, they
  run at once).

For each run it prints the wall-clock time and how many cores were busy on
average (CPU time of the process / wall-clock time). On a quiet machine with
2 free cores, hashing in 2 threads keeps about 2 cores busy and takes about
half the time; counting in 2 threads keeps about 1 core busy and takes as
long as in 1 thread. Compare ratios, not times.
Run: python3 book/src/python/hash_threads.py
"""

import argparse
import hashlib
import threading
import time


# ANCHOR: jobs
def hashing(buffers):
    for buffer in buffers:
        hashlib.sha256(buffer).digest()  # the GIL is released inside


def counting(buffers):
    n = 0
    for _ in range(len(buffers) * 2_000_000):  # pure bytecode: holds the GIL
        n += 1
# ANCHOR_END: jobs


def in_threads(job, buffers, threads):
    """Runs `job` over `buffers`, split over `threads` threads; returns
    (wall-clock seconds, cores busy on average)."""
    shares = [buffers[k::threads] for k in range(threads)]
    workers = [threading.Thread(target=job, args=(share,)) for share in shares]
    wall, cpu = time.perf_counter(), time.process_time()
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return wall, cpu / wall


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--buffers", type=int, default=8, help="how many buffers (default 8)")
    parser.add_argument("--mib", type=int, default=32, help="MiB per buffer (default 32)")
    args = parser.parse_args()

    buffers = [bytes([k]) * (args.mib << 20) for k in range(args.buffers)]
    print(f"{args.buffers} buffers of {args.mib} MiB, 1 thread against {args.threads}")
    for name, job in [("hashing (C, GIL released)", hashing),
                      ("counting (Python bytecode)", counting)]:
        one, one_busy = in_threads(job, buffers, 1)
        many, many_busy = in_threads(job, buffers, args.threads)
        print(f"  {name:<27} 1 thread {one * 1e3:7.0f} ms, {one_busy:3.1f} cores busy; "
              f"{args.threads} threads {many * 1e3:7.0f} ms, {many_busy:3.1f} cores busy: "
              f"{one / many:4.2f}x")


if __name__ == "__main__":
    main()
