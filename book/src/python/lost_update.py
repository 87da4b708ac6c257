"""Lost updates under the GIL (chapter 06, "The GIL never made Python code
thread-safe").

Two threads add 1 to a shared global counter, a million times each, in two
ways:

* `counter += 1`: since CPython 3.10 the eval loop looks at a drop request
  only at calls, at function entry and on the backward jump of a loop, never
  inside this line, so in practice no update is lost (an implementation
  detail, not a promise);
* `counter = counter + one()`: the call sits between the read and the write.
  A switch at the call lets the other thread run for a whole switch interval
  while this one holds a stale value, and its write then wipes out the other
  thread's updates.

Run: python3 book/src/python/lost_update.py
(`--json` prints the figures as one JSON object; book/doctest's
`python_race` test runs it that way and checks that updates were lost.)
"""

import argparse
import json
import sys
import threading

counter = 0


# ANCHOR: plain
def plain(n):
    global counter
    for _ in range(n):
        counter += 1  # load, add, store: no switch point in between
# ANCHOR_END: plain


# ANCHOR: with_call
def one():
    return 1


def with_call(n):
    global counter
    for _ in range(n):
        counter = counter + one()  # load, call (a switch point), add, store
# ANCHOR_END: with_call


def race(work, threads, n):
    """Runs `work(n)` in `threads` threads that start together; returns the
    counter at the end."""
    global counter
    counter = 0
    start = threading.Barrier(threads)

    def worker():
        start.wait()
        work(n)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return counter


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--iterations", type=int, default=1_000_000,
                        help="additions per thread (default 1000000)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    expected = args.threads * args.iterations
    results = {name: race(work, args.threads, args.iterations)
               for name, work in [("plain", plain), ("with_call", with_call)]}
    gil = getattr(sys, "_is_gil_enabled", lambda: True)()
    if args.json:
        print(json.dumps({
            "python": sys.version.split()[0],
            "implementation": sys.implementation.name,
            "gil": gil,
            "expected": expected,
            **results,
        }))
        return
    print(f"{sys.implementation.name} {sys.version.split()[0]}, "
          f"GIL {'on' if gil else 'off'}, switch interval "
          f"{sys.getswitchinterval() * 1000:g} ms")
    for name, label in [("plain", "counter += 1"),
                        ("with_call", "counter = counter + one()")]:
        lost = expected - results[name]
        print(f"  {label:<26} {results[name]:>9} of {expected}: "
              f"{lost} lost ({100 * lost / expected:.1f} %)")


if __name__ == "__main__":
    main()
