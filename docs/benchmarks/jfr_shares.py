#!/usr/bin/env python3
"""Shares of a JFR recording's execution samples, by thread group and by library on the stack (docs/benchmarks.md).

Usage: jfr print --json --events jdk.ExecutionSample <recording.jfr> > samples.json
       python3 docs/benchmarks/jfr_shares.py samples.json
A sample counts for a library when any frame of its stack is in that library's packages.
"""
import json
import re
import sys
from collections import Counter

THREADS = [  # first match wins
    ("H2's serialization thread (writes the pages commits changed)", r"H2-serialization|MVStore background writer"),
    ("pipeline consumer", r"orderhub\.intake\]"),
    ("stage pos", r"orderhub\.stage\.pos\]"),
    ("stage kds", r"orderhub\.stage\.kds\]"),
    ("stage channel-status", r"orderhub\.stage\.channel-status\]"),
    ("stage notifications", r"orderhub\.stage\.notifications\]"),
    ("Tomcat (HTTP: webhooks, API)", r"http-nio|tomcat"),
    ("Artemis's own threads", r"ActiveMQ|Thread-\d+ \(ActiveMQ"),
    ("GC and JIT", r"G1|GC|C1 |C2 |CompilerThread"),
]
LIBRARIES = [
    ("H2", "org.h2."), ("Jackson", "com.fasterxml.jackson."), ("Camel", "org.apache.camel."),
    ("Artemis", "org.apache.activemq."), ("Spring", "org.springframework."), ("Tomcat", "org.apache.catalina."),
    ("Tomcat (coyote)", "org.apache.coyote."), ("JDK HTTP client", "jdk.internal.net.http."),
    ("Micrometer", "io.micrometer."), ("Hikari", "com.zaxxer.hikari."), ("logging", "ch.qos.logback."),
    ("the hub's own code", "io.orderhub."), ("adapters", ("ubereats.", "doordash.", "square.", "twilio.")),
]


def thread_group(name):
    for group, pattern in THREADS:
        if re.search(pattern, name or ""):
            return group
    return "other"


def main(path):
    with open(path) as f:
        events = json.load(f)["recording"]["events"]
    threads, libraries, top, others = Counter(), Counter(), Counter(), Counter()
    for e in events:
        v = e["values"]
        name = (v.get("sampledThread") or {}).get("javaName") or (v.get("sampledThread") or {}).get("osName")
        group = thread_group(name)
        threads[group] += 1
        if group == "other":
            others[re.sub(r"\d+", "#", name or "?")] += 1
        frames = [f["method"]["type"]["name"].replace("/", ".") + "." + f["method"]["name"]
                  for f in (v.get("stackTrace") or {}).get("frames", [])]
        if frames:
            top[frames[0]] += 1
        for lib, prefix in LIBRARIES:
            prefixes = prefix if isinstance(prefix, tuple) else (prefix,)
            if any(fr.startswith(prefixes) for fr in frames):
                libraries[lib] += 1
    n = len(events)
    print(f"{n} samples")
    print("\n| thread | share |\n|---|---|")
    for k, c in threads.most_common():
        print(f"| {k} | {100 * c / n:.1f} % |")
    print("\nother threads: " + ", ".join(f"{k} {c}" for k, c in others.most_common(8)))
    print("\n| on the stack | share |\n|---|---|")
    for k, c in libraries.most_common():
        print(f"| {k} | {100 * c / n:.1f} % |")
    print("\n| top frame | share |\n|---|---|")
    for k, c in top.most_common(12):
        print(f"| `{k}` | {100 * c / n:.1f} % |")


if __name__ == "__main__":
    main(sys.argv[1])
