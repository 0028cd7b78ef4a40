"""helpers.py: small shared pieces for the end-to-end tests."""
import os


def skip_valgrind(fn):
    """Marks a test too slow, or meaningless, under valgrind."""
    fn.skip_valgrind = True
    return fn


def write(path, text):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path
