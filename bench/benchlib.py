"""benchlib.py: timing and reporting shared by bench/run-bench and
bench/run-scale.

Every measurement goes through public tools: hyperfine for the wall time
(median of the runs) and GNU time (/usr/bin/time) around the same runs for
the peak resident memory ("Maximum resident set size", %M) and the CPU time
(user + system), medians too. Wrapping in /usr/bin/time adds about a
millisecond of fork/exec to every run, the same for every tool.
"""
import json
import os
import platform
import shlex
import statistics
import subprocess
import time

TIME = "/usr/bin/time"


def measure(work, name, argv, runs, warmup=1, prepare=None, env=None):
    """Runs argv runs times (after warmup untimed runs) and returns a dict:
    median, mean, stddev, min, max (seconds), runs, rss_kb (median peak
    resident memory), cpu_s (median user+system), command. prepare is a
    shell command hyperfine runs before each run, outside the timing. env
    (a dict) is set for the command through env(1)."""
    tag = "".join(c if c.isalnum() else "_" for c in name)
    runs_dir = os.path.join(work, "runs")
    os.makedirs(runs_dir, exist_ok=True)
    mem = os.path.join(runs_dir, f"{tag}.mem")
    js = os.path.join(runs_dir, f"{tag}.json")
    if os.path.exists(mem):
        os.remove(mem)
    pre = ["env"] + [f"{k}={v}" for k, v in env.items()] if env else []
    timed = [TIME, "-a", "-o", mem, "-f", "%e %M %U %S"] + pre + argv
    cmd = ["hyperfine", "-N", "--style", "basic", "--runs", str(runs),
           "--warmup", str(warmup), "--export-json", js,
           "--command-name", name]
    if prepare:
        cmd += ["--prepare", prepare]
    cmd.append(shlex.join(timed))
    print(f"  {name}: {shlex.join(pre + argv)}", flush=True)
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    if p.returncode != 0:
        print(p.stdout)
        raise SystemExit(f"bench: {name} failed")
    r = json.load(open(js))["results"][0]
    # One line per run, warmups included; a command killed by a signal
    # writes a "Command terminated..." line first.
    lines = [ln.split() for ln in open(mem) if ln.strip()]
    lines = [ln for ln in lines if len(ln) == 4 and ln[0][0].isdigit()]
    out = {"median": r["median"], "mean": r["mean"],
           "stddev": r.get("stddev"), "min": r["min"], "max": r["max"],
           "runs": len(r["times"]),
           "rss_kb": statistics.median(int(ln[1]) for ln in lines),
           "cpu_s": statistics.median(float(ln[2]) + float(ln[3])
                                      for ln in lines),
           "command": shlex.join(pre + argv)}
    print(f"    {human_time(out['median'])}, {human_mem(out['rss_kb'])}, "
          f"cpu {human_time(out['cpu_s'])}", flush=True)
    return out


def human_time(s):
    if s is None:
        return "—"
    if s < 0.01:
        return f"{s * 1000:.1f} ms"
    if s < 1:
        return f"{s * 1000:.0f} ms"
    if s < 100:
        return f"{s:.2f} s"
    return f"{s / 60:.1f} min"


def human_mem(kb):
    if kb is None:
        return "—"
    mb = kb / 1024
    return f"{mb:.0f} MB" if mb >= 10 else f"{mb:.1f} MB"


def human_size(nbytes):
    if nbytes < 1 << 20:
        return f"{nbytes / 1024:.0f} KB"
    return f"{nbytes / (1 << 20):.0f} MB" if nbytes >= 10 << 20 else \
        f"{nbytes / (1 << 20):.1f} MB"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def human_ratio(r):
    if r is None:
        return "—"
    return f"{r:.2f}×" if r < 10 else f"{r:.0f}×"


def thousands(n):
    return f"{n:,}".replace(",", "\u202f")


def _first_line(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True).stdout
        return out.splitlines()[0] if out else "?"
    except OSError:
        return "?"


def _pkg(name):
    v = _first_line(["dpkg-query", "-W", "-f", "${Version}\n", name])
    return v if v and "no packages" not in v else "?"


def machine(atelier="./atelier"):
    """The machine and the versions of everything measured."""
    cpu = mem = ""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                mem = f"{round(int(line.split()[1]) / 1024 / 1024)} GB"
    except OSError:
        pass
    return {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "cpu": cpu, "cores": os.cpu_count(), "memory": mem,
        "os": platform.platform(terse=True),
        "load_at_start": os.getloadavg()[0],
        "atelier": _first_line([atelier, "--version"]),
        "libyaml": _pkg("libyaml-0-2"), "libcmark": _pkg("libcmark-gfm-dev"),
        "libxlsxwriter": _pkg("libxlsxwriter-dev"),
        "hyperfine": _first_line(["hyperfine", "--version"]),
        "pandoc": _first_line(["pandoc", "--version"]),
        "python": platform.python_version(),
        "pyyaml": _pkg("python3-yaml"), "markdown": _pkg("python3-markdown"),
        "xlsxwriter": _pkg("python3-xlsxwriter"),
    }


def machine_line(m):
    return (f"Measured {m['date']} on {m['cpu']} ({m['cores']} cores, "
            f"{m['memory']}), {m['os']}; load average at start "
            f"{m['load_at_start']:.2f}. {m['atelier']}; libyaml "
            f"{m['libyaml']}, libcmark-gfm {m['libcmark']}, libxlsxwriter "
            f"{m['libxlsxwriter']}; {m['hyperfine']}; {m['pandoc']}; "
            f"Python {m['python']} with PyYAML {m['pyyaml']}, "
            f"Python-Markdown {m['markdown']}, XlsxWriter {m['xlsxwriter']}.")


def warn_if_busy():
    load = os.getloadavg()[0]
    if load > 0.5:
        print(f"bench: warning: load average {load:.2f}: other work is "
              "running, the times will be inflated", flush=True)
