#!/usr/bin/env python3
"""The table of bench/compare.sh: its results.txt as Markdown, then issue 10's targets, each met or not.

    python3 bench/compare_table.py RESULTS_TXT
"""
import re
import sys

FIELD = re.compile(r"(\w+)=([^\s]+)")


def parse(path):
    startups, cells = {}, {}
    for line in open(path):
        fields = dict(FIELD.findall(line))
        if line.startswith("startup:"):
            startups[fields["target"]] = fields
        elif line.startswith("cell="):
            cells[(fields["cell"], fields["target"])] = fields
    return startups, cells


def number(fields, key):
    try:
        return float(fields[key])
    except (KeyError, ValueError, TypeError):
        return None


def rate(fields):
    return number(fields, "req_per_s") if "req_per_s" in fields else number(fields, "ops_per_s")


def cpu_ms_per_request(fields):
    """capacity.sh reports it; perf.sh reports the server's CPU in % of one core, turned into ms per op here."""
    if "server_cpu_ms_per_req" in fields:
        return number(fields, "server_cpu_ms_per_req")
    pct, ops = number(fields, "server_cpu_pct"), number(fields, "ops_per_s")
    return pct / 100 * 1000 / ops if pct is not None and ops else None


def show(value, digits=0):
    return "-" if value is None else f"{value:,.{digits}f}"


def table(startups, cells):
    rows = ["| cell | target | requests/s | p50 ms | p99 ms | server CPU ms/req | server RSS MB |",
            "|---|---|---:|---:|---:|---:|---:|"]
    for (cell, target), f in cells.items():
        failed = "FAILED" in " ".join(f.values())
        rows.append(f"| {cell} | {target} | {'FAILED' if failed else show(rate(f))} | {show(number(f, 'p50_ms'), 2)}"
                    f" | {show(number(f, 'p99_ms'), 2)} | {show(cpu_ms_per_request(f), 3)} | {f.get('rss_mb', '-')} |")
    rows += ["", "| target | start to first answer ms | idle RSS MB |", "|---|---:|---:|"]
    for target, f in startups.items():
        rows.append(f"| {target} | {f.get('startup_ms', '-')} | {f.get('idle_rss_mb', '-')} |")
    return rows


def targets(startups, cells):
    def get(cell, target, fn):
        f = cells.get((cell, target))
        return fn(f) if f else None

    def ratio_at_least(a, b, factor):
        if a is None or b is None or b == 0:
            return "n/a", "-"
        return ("met" if a >= factor * b else "NOT met"), f"{a / b:.1f}x"

    checks = []
    for op in ("get", "update"):
        fw, dl, fl = (get(f"capacity-{op}", t, rate) for t in ("flywheel", "ddbl-mem", "floor"))
        verdict, r = ratio_at_least(fw, dl, 10)
        checks.append((f"{op} capacity >= 10x DynamoDB Local (memory)", verdict, r))
        verdict, r = ratio_at_least(fw, fl, 1)
        checks.append((f"{op} capacity above the floor", verdict, r))
        fw_cpu, dl_cpu = (get(f"capacity-{op}", t, cpu_ms_per_request) for t in ("flywheel", "ddbl-mem"))
        verdict, r = ratio_at_least(dl_cpu, fw_cpu, 10)
        checks.append((f"{op} server CPU/request <= 1/10 of DynamoDB Local's", verdict, r))
    fw, dl = get("capacity-put", "flywheel-sync", rate), get("capacity-put", "ddbl-disk", rate)
    verdict, r = ratio_at_least(fw, dl, 10)
    checks.append(("durable put (fsync) >= 10x DynamoDB Local on disk", verdict, r))
    for w in ("a", "c"):
        p99 = get(f"ycsb-{w}-t8", "flywheel", lambda f: number(f, "p99_ms"))
        p50 = get(f"ycsb-{w}-t8", "ddbl-mem", lambda f: number(f, "p50_ms"))
        verdict = "n/a" if p99 is None or p50 is None else ("met" if p99 <= p50 else "NOT met")
        checks.append((f"YCSB {w} at 8 threads: p99 <= DynamoDB Local's p50", verdict,
                       "-" if verdict == "n/a" else f"{p99:.2f} vs {p50:.2f} ms"))
    start = startups.get("flywheel", {})
    ms, rss = number(start, "startup_ms"), number(start, "idle_rss_mb")
    checks.append(("start to first answered request <= 1 s", "n/a" if ms is None else ("met" if ms <= 1000 else "NOT met"),
                   show(ms) + " ms"))
    checks.append(("idle RSS <= 150 MB", "n/a" if rss is None else ("met" if rss <= 150 else "NOT met"), show(rss) + " MB"))
    rows = ["", "| target (issue 10) | verdict | measured |", "|---|---|---|"]
    rows += [f"| {name} | {verdict} | {measured} |" for name, verdict, measured in checks]
    return rows


def main():
    startups, cells = parse(sys.argv[1])
    print("\n".join(table(startups, cells) + targets(startups, cells)))


if __name__ == "__main__":
    main()
