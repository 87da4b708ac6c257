"""The convoy effect (bpo-7946): UDP round trips beside CPU-bound threads.

The twin of the Rust `convoy` workload (exercise 06, chapter "The GIL"):
a thread makes round trips over 127.0.0.1 to an echo server in another
process, alone (the sequential row), then beside `workers` CPU-bound
threads at switch intervals of 5 ms and 1 ms. Every wait is bounded (2 s).
The checksum adds the sequence numbers of the round trips, like Rust's.
Run: python3 book/src/python/gil_convoy.py --size 200 --workers 1
"""

import multiprocessing
import socket
import sys
import threading
import time

from harness import main

_server = None


def echo(address, stop):
    """The echo server: another process, so it never waits for our GIL."""
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind(("127.0.0.1", 0))
    address.put(server.getsockname())
    server.settimeout(0.05)
    while not stop.is_set():
        try:
            data, sender = server.recvfrom(64)
            server.sendto(data, sender)
        except socket.timeout:
            pass


def echo_address():
    global _server
    if _server is None:
        queue, stop = multiprocessing.Queue(), multiprocessing.Event()
        process = multiprocessing.Process(target=echo, args=(queue, stop), daemon=True)
        process.start()
        _server = queue.get(timeout=5)
    return _server


def spin(started, stop):
    """A CPU-bound thread: pure bytecode until told to stop."""
    started.release()
    n = 0
    while not stop.is_set():
        for _ in range(10_000):
            n += 1


# ANCHOR: round_trips
def round_trips(lo, hi):
    client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    client.settimeout(2.0)
    client.connect(echo_address())
    checksum = 0
    for i in range(lo, hi):
        message = i.to_bytes(4, "little")
        client.send(message)  # releases the GIL
        if client.recv(64) != message:  # releases the GIL while it waits
            raise SystemExit("a wrong echo")
        checksum += i
    return checksum
# ANCHOR_END: round_trips


def beside(interval):
    def run(lo, hi, cpu_threads):
        previous = sys.getswitchinterval()
        sys.setswitchinterval(interval)
        started, stop = threading.Semaphore(0), threading.Event()
        cpu = [threading.Thread(target=spin, args=(started, stop)) for _ in range(cpu_threads)]
        for thread in cpu:
            thread.start()
        for _ in cpu:
            started.acquire(timeout=2)
        try:
            return round_trips(lo, hi)
        finally:
            stop.set()
            for thread in cpu:
                thread.join()
            sys.setswitchinterval(previous)
    return run


if __name__ == "__main__":
    main(
        "the convoy effect: UDP round trips beside CPU-bound threads (workers = CPU threads)",
        200,
        round_trips,
        {"gil 5 ms": beside(0.005), "gil 1 ms": beside(0.001)},
    )
