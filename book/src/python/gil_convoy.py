"""The convoy effect (bpo-7946): UDP round trips beside one CPU-bound thread.

The twin of the Rust `convoy` experiment (exercise 06, chapter "The GIL"):
a thread makes round trips over 127.0.0.1 to an echo server in another
process, alone, then beside a CPU-bound thread at switch intervals of
5 ms and 1 ms. Every wait is bounded (2 s).
Run: python3 book/src/python/gil_convoy.py --round-trips 200
"""

import argparse
import multiprocessing
import socket
import sys
import threading
import time


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


def spin(stop):
    """The CPU-bound thread: pure bytecode until told to stop."""
    n = 0
    while not stop.is_set():
        for _ in range(10_000):
            n += 1


def round_trips(address, count):
    client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    client.settimeout(2.0)
    client.connect(address)
    start = time.perf_counter()
    for i in range(count):
        message = i.to_bytes(4, "little")
        client.send(message)  # releases the GIL
        assert client.recv(64) == message  # releases the GIL while it waits
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--round-trips", type=int, default=200)
    count = parser.parse_args().round_trips
    queue, stop_echo = multiprocessing.Queue(), multiprocessing.Event()
    server = multiprocessing.Process(target=echo, args=(queue, stop_echo), daemon=True)
    server.start()
    address = queue.get(timeout=5)
    print(f"Convoy: {count} UDP round trips over 127.0.0.1, Python {sys.version.split()[0]}")
    round_trips(address, 20)  # warm up
    alone = round_trips(address, count)
    print(f"  alone                               {alone * 1e3:9.1f} ms   {alone / count * 1e6:9.1f} us per round trip")
    beside = []
    for interval in (0.005, 0.001):
        sys.setswitchinterval(interval)
        stop = threading.Event()
        cpu = threading.Thread(target=spin, args=(stop,))
        cpu.start()
        time.sleep(0.05)  # let the CPU thread get going
        took = round_trips(address, count)
        stop.set()
        cpu.join()
        beside.append(took)
        print(f"  beside a CPU thread, {interval * 1e3:.0f} ms interval  {took * 1e3:9.1f} ms   {took / alone:7.0f}x slower")
    print(f"  a 1 ms interval makes the I/O thread {beside[0] / beside[1]:.1f}x faster than 5 ms")
    stop_echo.set()
    server.join(timeout=5)


if __name__ == "__main__":
    main()
