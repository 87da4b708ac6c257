"""What `fork` costs as the parent grows (chapter 07).

Copy-on-write means that `fork` copies no page of memory. It still copies
the parent's page tables, one entry per page the parent uses ("the only
penalty that it incurs is the time and memory required to duplicate the
parent's page tables, and to create a unique task structure for the child",
the Linux man page fork(2)). So the bigger the parent, the longer each fork
takes.

This script forks a child that exits at once, and waits for it, `--forks`
times; then it grows itself by `--mib` MiB (every page written, so that every
page has its entry) and does it again, for each size. Expect the time per
fork to grow roughly in proportion to the memory the parent has written.
POSIX only (os.fork).
Run: python3 book/src/python/fork_cost.py --mib 0,128,512
"""

import argparse
import os
import statistics
import sys
import time

PAGE = 4096


# ANCHOR: fork_once
def fork_once():
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os._exit(0)  # the child: exit at once, without Python's clean-up
    os.waitpid(pid, 0)
    return time.perf_counter() - start
# ANCHOR_END: fork_once


def main():
    if not hasattr(os, "fork"):
        sys.exit("os.fork is not available here (Windows): nothing to measure.")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mib", default="0,128,512",
                        help="comma-separated sizes the parent grows to, in MiB (default 0,128,512)")
    parser.add_argument("--forks", type=int, default=20, help="forks per size (default 20)")
    args = parser.parse_args()

    held = []  # the memory the parent holds, so that it stays
    grown = 0
    print(f"median time of fork + exit + wait, over {args.forks} forks")
    for mib in [int(m) for m in args.mib.split(",")]:
        if mib > grown:
            block = bytearray((mib - grown) << 20)
            block[::PAGE] = b"\x01" * len(range(0, len(block), PAGE))  # touch every page
            held.append(block)
            grown = mib
        median = statistics.median(fork_once() for _ in range(args.forks))
        print(f"  parent with {grown:>5} MiB more: {median * 1e3:8.2f} ms per fork")


if __name__ == "__main__":
    main()
