#!/usr/bin/python3
"""run_e2e.py: the end-to-end tests, the real atelier binary on real files.

Each tests/e2e/test_*.py module holds functions test_*(ctx); ctx.run() runs
atelier (under valgrind with --valgrind, where any leak or memory error
fails the run). Prints one line per failure and a closing
'N passed, N failed' line; exits 1 if anything failed.

  /usr/bin/python3 tests/run_e2e.py --atelier ./atelier [--valgrind] [-k NAME]
"""
import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VALGRIND_EXIT = 99
# Leaks of libraries, not of atelier (each file says which and why).
SUPP_VALGRIND = os.path.join(ROOT, "tests", "valgrind.supp")
SUPP_LSAN = os.path.join(ROOT, "tests", "lsan.supp")


class Ctx:
    def __init__(self, atelier, valgrind):
        self.atelier = os.path.abspath(atelier)
        self.valgrind = valgrind
        self.root = ROOT
        self._tmp = []

    def tmpdir(self):
        d = tempfile.mkdtemp(prefix="atelier-e2e-")
        self._tmp.append(d)
        return d

    def cleanup(self):
        for d in self._tmp:
            shutil.rmtree(d, ignore_errors=True)
        self._tmp = []

    def run(self, *args, cwd=None, input=None, env=None, timeout=120):
        """Runs atelier with args; returns CompletedProcess (text mode).
        Under valgrind a memory error or leak raises AssertionError."""
        cmd = [self.atelier] + [str(a) for a in args]
        if self.valgrind:
            cmd = ["valgrind", "-q", "--error-exitcode=%d" % VALGRIND_EXIT,
                   "--leak-check=full", "--show-leak-kinds=definite,indirect",
                   "--errors-for-leak-kinds=definite,indirect",
                   "--suppressions=" + SUPP_VALGRIND] + cmd
        full_env = dict(os.environ)
        full_env.pop("SOURCE_DATE_EPOCH", None)
        full_env["NO_COLOR"] = "1"
        # Messages in English whatever the tester's locale; a test that
        # wants another passes it in env (None removes a variable).
        for var in ("LANGUAGE", "LC_MESSAGES", "LANG"):
            full_env.pop(var, None)
        full_env["LC_ALL"] = "C"
        full_env.setdefault("LSAN_OPTIONS", "suppressions=" + SUPP_LSAN)
        for k, v in (env or {}).items():
            if v is None:
                full_env.pop(k, None)
            else:
                full_env[k] = v
        p = subprocess.run(cmd, cwd=cwd or ROOT, input=input, env=full_env,
                           capture_output=True, text=True, timeout=timeout)
        if self.valgrind and p.returncode == VALGRIND_EXIT:
            raise AssertionError("valgrind reported errors for %s:\n%s"
                                 % (" ".join(map(str, args)), p.stderr))
        return p

    def path(self, *parts):
        return os.path.join(ROOT, *parts)


E2E_DIR = os.path.join(ROOT, "tests", "e2e")
sys.path.insert(0, E2E_DIR)


def _import_error(exc):
    def fail(ctx):
        raise exc
    return fail


def load_modules(only):
    """Yields (name, function, skip_under_valgrind) in a stable order; a
    module that does not import is one failing test, not a crash."""
    for name in sorted(os.listdir(E2E_DIR)):
        if not (name.startswith("test_") and name.endswith(".py")):
            continue
        mod_name = name[:-3]
        try:
            spec = importlib.util.spec_from_file_location(
                mod_name, os.path.join(E2E_DIR, name))
            mod = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(mod)
        except Exception as exc:  # reported as a failure below
            if not only or only in mod_name:
                yield mod_name + ".<import>", _import_error(exc), False
            continue
        for attr in sorted(dir(mod)):
            fn = getattr(mod, attr)
            if attr.startswith("test_") and callable(fn):
                full = "%s.%s" % (mod_name, attr)
                if only and only not in full:
                    continue
                yield full, fn, getattr(fn, "skip_valgrind", False)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--atelier", default="./atelier")
    ap.add_argument("--valgrind", action="store_true")
    ap.add_argument("-k", dest="only", default=None)
    a = ap.parse_args()
    ctx = Ctx(a.atelier, a.valgrind)
    passed = failed = skipped = 0
    for name, fn, skip in load_modules(a.only):
        if skip and a.valgrind:
            skipped += 1
            continue
        try:
            fn(ctx)
            passed += 1
        except Exception:
            failed += 1
            print("FAIL %s\n%s" % (name, traceback.format_exc()), file=sys.stderr)
        finally:
            ctx.cleanup()
    line = "%d passed, %d failed" % (passed, failed)
    if skipped:
        line += ", %d skipped" % skipped
    print("valgrind: " + line if a.valgrind else line)
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
