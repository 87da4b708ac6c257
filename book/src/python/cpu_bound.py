"""CPU-bound: count the pseudo-random points inside the quarter circle.

The same job as Rust's `count_inside` (exercise 05), bit for bit, so the
checksums match. Run: python3 book/src/python/cpu_bound.py --size 1000000
"""

from harness import four_ways, main

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


if __name__ == "__main__":  # required: worker processes import this file
    main(
        "CPU-bound: count points inside the quarter circle",
        1_500_000,
        count_inside,
        four_ways(count_inside),
    )
