"""Communication: the cost of a message in Python, at 64 B to 64 KiB.

The twin of the Rust `comm` workload (exercise 09, chapter "Communication").
About SIZE bytes of texts, at each message size, go through the same stage
(the text reversed and in capitals, like Rust's `stage_work`):

* sequential: in this thread, no messages at all;
* thread + queue.Queue: a worker thread between two bounded queues;
* process + multiprocessing.Queue: a worker process; every message is
  pickled, sent through a pipe and unpickled, both ways;
* process + shared_memory: a worker process writes the same number of bytes
  into a `multiprocessing.shared_memory` block (nothing pickled; the texts'
  bytes, where Rust's worker stores u64 values).

The "workers" of each row is its message size in bytes. The checksum is 1
once every result is checked, as in Rust.
Run: python3 book/src/python/comm.py --size 2000000
"""

import multiprocessing
from multiprocessing import shared_memory
import platform
import queue
import threading

from harness import arguments, measure, print_json

SIZES = [64, 1024, 16 * 1024, 64 * 1024]
CAPACITY = 64


def messages(total, size):
    """How many messages of `size` bytes make about `total`: 10 to 100,000."""
    return min(max(total // size, 10), 100_000)


def texts(total, size):
    return [chr(ord("a") + i % 26) * size for i in range(messages(total, size))]


# ANCHOR: stage
def stage_work(seq, text):
    return seq, text[::-1].upper()
# ANCHOR_END: stage


def check(results, texts):
    if len(results) != len(texts):
        raise SystemExit(f"{len(results)} results for {len(texts)} messages")
    for seq, (result, text) in enumerate(zip(results, texts)):
        if result != stage_work(seq, text):
            raise SystemExit(f"message {seq} came back wrong")
    return 1


def sequential(total, size):
    items = texts(total, size)
    return check([stage_work(seq, text) for seq, text in enumerate(items)], items)


def produce(items, inbox):
    for seq, text in enumerate(items):
        inbox.put((seq, text))
    inbox.put(None)


def serve(inbox, outbox):
    """The stage, in a thread or a process: until the producer says None."""
    while (item := inbox.get()) is not None:
        outbox.put(stage_work(*item))
    outbox.put(None)


def through(total, size, make_queue, Worker):
    """The stage on a `Worker` (threading.Thread or multiprocessing.Process)
    between two bounded queues made by `make_queue`."""
    items = texts(total, size)
    inbox, outbox = make_queue(CAPACITY), make_queue(CAPACITY)
    worker = Worker(target=serve, args=(inbox, outbox))
    worker.start()
    producer = threading.Thread(target=produce, args=(items, inbox))
    producer.start()
    results = []
    while (result := outbox.get()) is not None:
        results.append(result)
    producer.join()
    worker.join()
    return check(results, items)


def with_thread(total, size):
    return through(total, size, queue.Queue, threading.Thread)


def with_process(total, size):
    return through(total, size, multiprocessing.Queue, multiprocessing.Process)


def fill(name, size, count):
    """The worker process of the shared-memory variant."""
    block = shared_memory.SharedMemory(name=name)
    for i in range(count):
        block.buf[i * size:(i + 1) * size] = (chr(ord("a") + i % 26) * size).encode()
    block.close()


def with_shared_memory(total, size):
    count = messages(total, size)
    block = shared_memory.SharedMemory(create=True, size=count * size)
    try:
        worker = multiprocessing.Process(target=fill, args=(block.name, size, count))
        worker.start()
        worker.join()
        for i in range(count):
            if bytes(block.buf[i * size:(i + 1) * size]) != (chr(ord("a") + i % 26) * size).encode():
                raise SystemExit(f"shared message {i} came back wrong")
        return 1
    finally:
        block.close()
        block.unlink()


WAYS = {
    "sequential": sequential,
    "thread + queue.Queue": with_thread,
    "process + multiprocessing.Queue": with_process,
    "process + shared_memory": with_shared_memory,
}


if __name__ == "__main__":  # required: worker processes import this file
    args = arguments("the cost of a message, at 64 B to 64 KiB (workers = bytes per message)", 2_000_000)
    runs = [(name, size, lambda way=way, size=size: way(args.size, size)) for name, way in WAYS.items() for size in SIZES]
    rows = measure(runs, 1, args.rounds)
    if args.json:
        print_json(1, rows)
    else:
        print(f"Python {platform.python_version()}: about {args.size} bytes per row, median of {args.rounds} rounds")
        print(f"{'variant':<34}{'bytes':>7}{'per message':>14}{'MB/s':>9}")
        for row in rows:
            n = messages(args.size, row["workers"])
            per = row["median_s"] / n
            print(f"{row['variant']:<34}{row['workers']:>7}{per * 1e6:>11.2f} us{n * row['workers'] / row['median_s'] / 1e6:>9.1f}")
