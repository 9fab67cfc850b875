"""A small mutation run on plans/selectors/progress.py (or ``--module``): which single-token
changes do the tests miss?

Each mutant changes one thing in the module: a comparator (``<``/``<=``, ``>``/``>=``,
``==``/``!=``), a lookup (``__lt``/``__lte``, ``__gt``/``__gte``), one ``.filter(...)`` or
``.exclude(...)`` call dropped, one condition of a filter or of a ``Q(...) | Q(...)`` dropped, a
number changed by one, ``True``/``False`` swapped, ``and``/``or`` swapped. For each mutant the
selector tests run with ``-x``; a failing run kills it, a passing run lets it survive.

By default the project (without .git, the virtualenv and node_modules) is copied to a
temporary directory and the mutants are written there, so that other people's test runs in
the working tree never import a mutant. ``--in-place`` writes them over the working tree's own
plans/selectors/progress.py instead. Either way the original is kept in memory and written back,
byte
for byte with its times, after every mutant and on any exit (try/finally, SIGTERM, SIGINT).

    .venv/bin/python bench/mutate_selectors.py                # every mutant, or a sample of
    .venv/bin/python bench/mutate_selectors.py --max 150      # at most 150, seeded (--seed)
    .venv/bin/python bench/mutate_selectors.py --list         # the mutants, not run

It prints each survivor's line and mutation, then killed/survived and the score.
"""

import argparse
import ast
import io
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tokenize
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = Path("plans/selectors/progress.py")
TESTS = [
    "tests/plans/test_selectors.py",
    "tests/plans/test_selectors_edges.py",
    "tests/plans/test_dashboard_selectors.py",
    "tests/plans/test_dashboard_pages.py",
    "tests/plans/test_dashboard_demo.py",
    # The selectors of the "figures as of" line and of the reporting cycle have their own files.
    "tests/plans/test_figures_as_of.py",
    "tests/plans/test_status_board.py",
]
TEST_ENV = {
    "DEBUG": "off",
    "SECRET_KEY": "test-only-not-secret",
    "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
}
NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv", "node_modules", "__pycache__", ".pytest_cache", ".hypothesis",
    ".ruff_cache", "*.egg-info", "test-artifacts", "out", "db.sqlite3", "media", "staticfiles",
)
OPERATORS = {"<": "<=", "<=": "<", ">": ">=", ">=": ">", "==": "!=", "!=": "=="}
NAMES = {"True": "False", "False": "True", "and": "or", "or": "and"}
LOOKUPS = {"__lte": "__lt", "__lt": "__lte", "__gte": "__gt", "__gt": "__gte"}


@dataclass(frozen=True)
class Mutant:
    line: int
    description: str
    source: str


def _offsets(source: str) -> list[int]:
    """Return the offset of the start of each line (1-based lines: index line - 1)."""
    offsets, total = [], 0
    for line in source.splitlines(keepends=True):
        offsets.append(total)
        total += len(line)
    offsets.append(total)
    return offsets


def _replace(source, offsets, start, end, text) -> str:
    """Replace the (line, col) span ``start``..``end`` of ``source`` with ``text``."""
    a = offsets[start[0] - 1] + start[1]
    b = offsets[end[0] - 1] + end[1]
    return source[:a] + text + source[b:]


def token_mutants(source: str) -> list[Mutant]:
    """Comparators, lookups, numbers, True/False and and/or, from the token stream."""
    offsets = _offsets(source)
    mutants = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        text = tok.string
        if tok.type == tokenize.OP and text in OPERATORS:
            replacements = [OPERATORS[text]]
        elif tok.type == tokenize.NAME and text in NAMES:
            replacements = [NAMES[text]]
        elif tok.type == tokenize.NUMBER:
            replacements = [str(int(text) + 1), str(int(text) - 1)] if text.isdigit() else []
        elif tok.type in (tokenize.NAME, tokenize.STRING):
            replacements = []
            for old, new in LOOKUPS.items():
                bare = text.strip("\"'")
                if bare.endswith(old) and not bare.endswith(old + "e"):
                    replacements.append(text.replace(old, new))
        else:
            replacements = []
        for new in replacements:
            mutants.append(
                Mutant(tok.start[0], f"{text} -> {new}",
                       _replace(source, offsets, tok.start, tok.end, new))
            )
    return mutants


def _is_q(node) -> bool:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Q":
        return True
    return isinstance(node, ast.BinOp) and _is_q(node.left) and _is_q(node.right)


def ast_mutants(source: str) -> list[Mutant]:
    """Drop one .filter()/.exclude() call, one of its conditions, or one side of Q | Q / Q & Q."""
    offsets = _offsets(source)
    tree = ast.parse(source)
    mutants = []

    def span(node):
        return (node.lineno, node.col_offset), (node.end_lineno, node.end_col_offset)

    def snippet(node):
        return ast.get_source_segment(source, node).replace("\n", " ")[:60]

    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("filter", "exclude")):
            receiver = node.func.value
            # Drop the call itself: `X.filter(...)` becomes `X`.
            start = (receiver.end_lineno, receiver.end_col_offset)
            conditions = [*node.args, *node.keywords]
            called = ", ".join(snippet(c) for c in conditions)
            mutants.append(Mutant(
                node.lineno, f"drop .{node.func.attr}({called[:50]})",
                _replace(source, offsets, start, (node.end_lineno, node.end_col_offset), ""),
            ))
            # Drop one of its conditions, when it has several.
            if len(conditions) > 1:
                for dropped in conditions:
                    kept = [ast.get_source_segment(source, c) for c in conditions
                            if c is not dropped]
                    call = (f"{ast.get_source_segment(source, receiver)}."
                            f"{node.func.attr}({', '.join(kept)})")
                    start, end = span(node)
                    mutants.append(Mutant(
                        dropped.lineno, f"drop condition {snippet(dropped)}",
                        _replace(source, offsets, start, end, call),
                    ))
        elif (isinstance(node, ast.BinOp) and isinstance(node.op, (ast.BitOr, ast.BitAnd))
              and _is_q(node.left) and _is_q(node.right)):
            start, end = span(node)
            for kept, dropped in ((node.left, node.right), (node.right, node.left)):
                mutants.append(Mutant(
                    dropped.lineno, f"drop Q condition {snippet(dropped)}",
                    _replace(source, offsets, start, end, ast.get_source_segment(source, kept)),
                ))
    return mutants


def all_mutants(source: str) -> list[Mutant]:
    seen, unique = {source}, []
    for mutant in token_mutants(source) + ast_mutants(source):
        if mutant.source in seen:
            continue
        seen.add(mutant.source)
        try:
            compile(mutant.source, str(TARGET), "exec")
        except SyntaxError:
            continue
        unique.append(mutant)
    return sorted(unique, key=lambda m: (m.line, m.description))


def run_tests(workdir: Path, tests, timeout: int) -> tuple[bool, float, str]:
    """Return (passed, seconds, last lines of output) of the selector tests in ``workdir``."""
    env = {**os.environ, **TEST_ENV,
           # Compiled files go elsewhere: a mutant's .pyc never lands beside the source.
           "PYTHONPYCACHEPREFIX": str(Path(tempfile.gettempdir()) / f"mutants-{os.getpid()}")}
    started = time.monotonic()
    try:
        completed = subprocess.run(
            [sys.executable, "-m", "pytest", *tests, "-x", "-q", "-p", "no:cacheprovider"],
            cwd=workdir, env=env, capture_output=True, timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return False, time.monotonic() - started, "timeout"  # a mutant that hangs is caught
    tail = "\n".join(completed.stdout.decode(errors="replace").splitlines()[-15:])
    return completed.returncode == 0, time.monotonic() - started, tail


def main():
    global TARGET
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max", type=int, default=0, help="sample at most this many mutants")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--timeout", type=int, default=180, help="seconds per mutant")
    parser.add_argument("--in-place", action="store_true",
                        help="mutate the working tree's file rather than a copy of the project")
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    parser.add_argument("--tests", nargs="*", help="test files (default: the selector tests)")
    parser.add_argument(
        "--module", type=Path, default=TARGET,
        help="the module to mutate (default plans/selectors/progress.py; the year's other "
        "figures are in plans/selectors/figures.py)",
    )
    parser.add_argument(
        "--survivors-of", type=Path, metavar="OUTPUT",
        help="run only the mutants an earlier run's output reports SURVIVED, counting the "
        "others it ran as killed (sound when tests were only added since)",
    )
    args = parser.parse_args()
    TARGET = args.module

    tests = [t for t in (args.tests or TESTS) if (ROOT / t).exists()]
    original_bytes = (ROOT / TARGET).read_bytes()
    original_stat = (ROOT / TARGET).stat()
    mutants = all_mutants(original_bytes.decode("utf-8"))
    total = len(mutants)
    if args.max and total > args.max:
        mutants = sorted(random.Random(args.seed).sample(mutants, args.max),
                         key=lambda m: (m.line, m.description))
    already_killed = 0
    if args.survivors_of:
        # Mutants are told apart by line, description and rank among those alike (the order
        # of generation is stable).
        def keyed(keys):
            seen = {}
            for key in keys:
                seen[key] = seen.get(key, 0) + 1
                yield key, seen[key]

        earlier = [line for line in args.survivors_of.read_text(encoding="utf-8").splitlines()
                   if line.startswith("[") and f" {TARGET}:" in line]
        outcomes = dict(zip(
            keyed(line.split(f"{TARGET}:", 1)[1].rsplit(" (", 1)[0] for line in earlier),
            (" SURVIVED " in line for line in earlier), strict=True,
        ))
        already_killed = sum(not survived for survived in outcomes.values())
        mutants = [m for m, key in zip(mutants, keyed(f"{m.line}: {m.description}"
                                                       for m in mutants), strict=True)
                   if outcomes.get(key, True)]
    if args.list:
        for m in mutants:
            print(f"{TARGET}:{m.line}: {m.description}")
        print(f"{len(mutants)} of {total} mutants")
        return 0

    scratch = None
    if args.in_place:
        workdir = ROOT
    else:
        scratch = Path(tempfile.mkdtemp(prefix="mutate-selectors-"))
        workdir = scratch / "project"
        shutil.copytree(ROOT, workdir, ignore=NOT_COPIED, symlinks=True)
    path = workdir / TARGET

    def restore():
        path.write_bytes(original_bytes)
        os.utime(path, ns=(original_stat.st_atime_ns, original_stat.st_mtime_ns))

    def stop(signum, _frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    survivors, killed = [], already_killed
    try:
        passed, seconds, output = run_tests(workdir, tests, args.timeout)
        if not passed:
            print(f"The tests fail on the unchanged module: nothing to measure.\n{output}")
            return 2
        print(f"{len(mutants)} of {total} mutants; tests: {' '.join(tests)} "
              f"({seconds:.1f} s unchanged)", flush=True)
        if already_killed:
            print(f"{already_killed} killed in {args.survivors_of}, not run again", flush=True)
        for number, mutant in enumerate(mutants, 1):
            try:
                path.write_text(mutant.source, encoding="utf-8")
                passed, seconds, _output = run_tests(workdir, tests, args.timeout)
            finally:
                restore()
            verdict = "SURVIVED" if passed else "killed"
            print(f"[{number}/{len(mutants)}] {verdict:8} {TARGET}:{mutant.line}: "
                  f"{mutant.description} ({seconds:.1f} s)", flush=True)
            if passed:
                survivors.append(mutant)
            else:
                killed += 1
    finally:
        restore()
        assert (ROOT / TARGET).read_bytes() == original_bytes
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
        shutil.rmtree(Path(tempfile.gettempdir()) / f"mutants-{os.getpid()}",
                      ignore_errors=True)

    print("\nSurvivors:")
    lines = original_bytes.decode("utf-8").splitlines()
    for mutant in survivors:
        print(f"  {TARGET}:{mutant.line}: {mutant.description}")
        print(f"      {lines[mutant.line - 1].strip()}")
    run = killed + len(survivors)
    print(f"\nkilled {killed}, survived {len(survivors)}, "
          f"score {100 * killed / run:.1f} % of {run} mutants")
    return 0


if __name__ == "__main__":
    sys.exit(main())
