#!/usr/bin/env python3
"""Where a server's CPU goes, from a JFR recording of CPU-time samples (JDK 25's jdk.CPUTimeSample).

    jfr configure --output /tmp/cpu.jfc --input profile jdk.CPUTimeSample#enabled=true \
        jdk.CPUTimeSample#throttle=1ms jdk.ExecutionSample#enabled=false
    jcmd PID JFR.start settings=/tmp/cpu.jfc duration=15s filename=/tmp/fw.jfr
    bench/profiles/cpu_categories.py /tmp/fw.jfr

CPU-time samples count kernel and native time too (socket calls, RocksDB),
which execution samples do not see. Each sample goes to one category: its innermost frame if that is a
system call or a RocksDB call, else the first specific package found from the innermost frame outwards,
else a generic one (Netty's channel, the JDK's thread machinery). Prints a Markdown table.
"""
import collections
import json
import subprocess
import sys

# Innermost frames that are the kernel or native code.
LEAF = [
    ("Socket.sendAddress", "kernel: socket send"), ("Socket.writeAddress", "kernel: socket send"),
    ("Socket.recvAddress", "kernel: socket recv"), ("Socket.readAddress", "kernel: socket recv"),
    ("Native.epollWait", "kernel: epoll wait / eventfd"), ("Native.eventFd", "kernel: epoll wait / eventfd"),
    ("RocksDB.", "RocksDB (native)"), ("WriteBatch.", "RocksDB (native)"),
]
# Packages, most specific first; GENERIC ones count only when no specific one is on the stack.
PACKAGES = [
    ("dev/flywheel/engine/encryption", "encryption at rest"), ("javax/crypto", "encryption at rest"),
    ("com/sun/crypto", "encryption at rest"), ("dev/flywheel/protocol/auth", "SigV4 header"),
    ("dev/flywheel/protocol/json", "JSON codec"), ("com/fasterxml", "JSON codec"),
    ("io/netty/handler/codec/http", "Netty HTTP codec"), ("dev/flywheel/storage", "storage (Java)"),
    ("org/rocksdb", "storage (Java)"), ("dev/flywheel/engine", "engine"), ("dev/flywheel/expression", "engine"),
    ("dev/flywheel/server", "server (Answer, RequestHandler)"),
]
GENERIC = [
    ("java/util/concurrent", "threads (virtual threads, hand-offs)"),
    ("java/lang/VirtualThread", "threads (virtual threads, hand-offs)"), ("io/netty", "Netty channel, buffers"),
]


def category(frames):
    for pattern, name in LEAF:
        if frames and pattern in frames[0]:
            return name
    for table in (PACKAGES, GENERIC):
        for frame in frames:
            for prefix, name in table:
                if frame.startswith(prefix):
                    return name
    return "other (JDK, GC, JIT)"


def main(path):
    printed = subprocess.run(["jfr", "print", "--json", "--events", "jdk.CPUTimeSample", "--stack-depth", "128", path],
                             capture_output=True, text=True, check=True).stdout
    counts = collections.Counter()
    for event in json.loads(printed)["recording"]["events"]:
        stack = event["values"]["stackTrace"]
        if stack:
            counts[category([f["method"]["type"]["name"] + "." + f["method"]["name"] for f in stack["frames"]])] += 1
    total = sum(counts.values())
    print(f"{total} samples\n\n| where | share |\n|---|---:|")
    for name, n in counts.most_common():
        print(f"| {name} | {100 * n / total:.1f}% |")


if __name__ == "__main__":
    main(sys.argv[1])
