#!/usr/bin/env python3
"""Kepler's code-layout check: two habits of the engine that a compiler does not enforce.

1. Modules point down. An engine file may include headers of its own module and of modules
   below it in MODULE_RANK, never of a module above it or beside it (same rank), and never a
   grammar or CLI header. Both `#include "kepler/<module>/..."` and private relative includes
   (`#include "../pipeline/x.hpp"`, resolved from the including file) are checked.
2. Functions stay short: no function body in engine/ longer than FUNCTION_LINE_LIMIT lines,
   counted from the line of its opening brace to the line of its closing brace. A lambda inside
   a function counts toward that function; classes and namespaces are not functions.

Prints one line per finding and exits 1 if there is any:
    engine/src/x/y.cpp:12: function NAME is N lines (limit 150)
    engine/src/x/y.cpp:3: includes kepler/pipeline/discover.hpp, which is above module search

Usage:
    check_code_layout.py [--root DIR]   check DIR/engine (DIR defaults to the repository root)
    check_code_layout.py --self-test    check tests/fixtures/code_layout and compare the findings
                                        with its expected.txt (shows the check catches what it
                                        should, and nothing else)

Why a scan and not clang-tidy's readability-function-size: that check needs a full parse of
every translation unit (Eigen, oneTBB and Spirit headers included), minutes on the two cores CI
and the build machine have; this scan reads comment- and string-stripped text and matches
braces, which takes well under a second. Standard library only, so CI needs nothing but
Python 3.
"""

import os
import re
import sys

# The module order, lowest first. Why this order: each module includes only modules of a lower
# rank (as the code does today and docs/ARCHITECTURE.md describes):
#   core       expressions, evaluation, printing, tables; includes nothing of Kepler's
#              (and peers.hpp: the processes of an mpirun job, as the search sees them)
#   units      dimensions, unit systems, Buckingham Pi; dimension_check needs core's Expression
#   fitting    fitting rules shared by the search stages (exact_fit); may use core and units
#   search     enumerator, evolution, quick fits, constant fitting; uses core and units
#   structure  separability, symmetry, surrogate: tests on data (Eigen only today)
#   screen     channel screening of wide logs: core, units and structure's surrogate
#   judge      the benchmark judge: core and search's fit metrics; nothing in the engine
#              includes it, so it sits at the lowest rank its includes allow
#   pipeline   discover() and screened_discover(): wires all of the above together
# Modules of equal rank (search and structure, screen and judge) must not include each other:
# that is how cycles start.
MODULE_RANK = {
    "core": 0,
    "units": 1,
    "fitting": 2,
    "search": 3,
    "structure": 3,
    "screen": 4,
    "judge": 4,
    "pipeline": 5,
}
# engine/include/kepler/kepler.hpp, the one header research code includes, sits above them all.
UMBRELLA = "kepler.hpp"
UMBRELLA_RANK = max(MODULE_RANK.values()) + 1
# Never included by the engine: the grammar depends on the engine, and so does the CLI.
FORBIDDEN_MODULES = {"grammar"}

FUNCTION_LINE_LIMIT = 150
SOURCE_SUFFIXES = (".hpp", ".cpp", ".h", ".cc", ".ipp", ".inl")
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURE_ROOT = os.path.join(REPO_ROOT, "tests", "fixtures", "code_layout")


# ---- reading C++ text --------------------------------------------------------------------

IDENT_CHAR = re.compile(r"[A-Za-z0-9_]")
CHAR_LITERAL_PREFIXES = ("L", "u", "U", "u8")


def _prefix_before(text, i):
    """The identifier that ends just before position i ('' if none)."""
    j = i
    while j > 0 and IDENT_CHAR.match(text[j - 1]):
        j -= 1
    return text[j:i]


def strip_code(text, keep_preprocessor=False):
    """`text` with comments, string and character literals (raw strings too) and, unless
    keep_preprocessor, preprocessor lines blanked out. Newlines are kept, so line numbers
    stay right; literals become empty quotes so the code around them still reads."""
    out = []
    i, n = 0, len(text)
    at_line_start = True
    while i < n:
        c = text[i]
        if c == "\n":
            out.append(c)
            at_line_start = True
            i += 1
            continue
        if at_line_start and c == "#" and not keep_preprocessor:
            # A directive, with its backslash-continued lines (a macro body may hold braces).
            while i < n and text[i] != "\n":
                if text[i] == "\\" and i + 1 < n and text[i + 1] == "\n":
                    out.append("\n")
                    i += 2
                    continue
                i += 1
            continue
        if not c.isspace():
            at_line_start = False
        if text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append("\n" * text.count("\n", i, end))
            i = end
            continue
        if c == '"':
            prefix = _prefix_before(text, i)
            if prefix.endswith("R") and prefix[:-1] in ("", "L", "u", "U", "u8"):
                # Raw string: R"delim( ... )delim"
                open_paren = text.find("(", i)
                delim = text[i + 1 : open_paren]
                end = text.find(")" + delim + '"', open_paren)
                end = n if end < 0 else end + len(delim) + 2
                out.append('""' + "\n" * text.count("\n", i, end))
                i = end
                continue
            i = _skip_quoted(text, i, '"')
            out.append('""')
            continue
        if c == "'":
            prefix = _prefix_before(text, i)
            if prefix and prefix not in CHAR_LITERAL_PREFIXES:
                # A digit separator (1'000'000), not a character literal.
                out.append(c)
                i += 1
                continue
            i = _skip_quoted(text, i, "'")
            out.append("''")
            continue
        out.append(c)
        i += 1
    return "".join(out)


def _skip_quoted(text, i, quote):
    """Position just after the literal that opens at text[i] (a quote)."""
    i += 1
    while i < len(text) and text[i] != quote and text[i] != "\n":
        i += 2 if text[i] == "\\" else 1
    return i + 1


# ---- check 1: modules point down ---------------------------------------------------------

INCLUDE = re.compile(r'[ \t]*#[ \t]*include[ \t]*([<"])([^">\n]+)[">]')


def module_of_path(rel_path):
    """The module an engine file belongs to ('umbrella' for kepler/kepler.hpp), or None."""
    parts = rel_path.replace(os.sep, "/").split("/")
    if parts[:3] == ["engine", "include", "kepler"] and len(parts) >= 4:
        return "umbrella" if parts[3:] == [UMBRELLA] else parts[3] if len(parts) >= 5 else None
    if parts[:2] == ["engine", "src"] and len(parts) >= 4:
        return parts[2]
    return None


def rank_of(module):
    return UMBRELLA_RANK if module == "umbrella" else MODULE_RANK.get(module)


def check_includes(root, rel_path, text):
    """Findings for the includes of one engine file."""
    findings = []
    own = module_of_path(rel_path)
    if own is None:
        return findings
    if rank_of(own) is None:
        return [f"{rel_path}:1: module {own} is not in MODULE_RANK of tools/check_code_layout.py; add it"]
    own_rank = rank_of(own)
    # Directives found in the comment-stripped text (a commented-out include is none), their
    # targets read from the same line of the original (stripping blanks string literals).
    raw_lines = text.split("\n")
    for line, code in enumerate(strip_code(text, keep_preprocessor=True).split("\n"), start=1):
        if not re.match(r"[ \t]*#[ \t]*include\b", code):
            continue
        m = INCLUDE.match(raw_lines[line - 1])
        if not m:
            continue
        bracket, target = m.group(1), m.group(2).strip()
        where = f"{rel_path}:{line}: includes {target}"
        if target.startswith("kepler/"):
            parts = target.split("/")
            target_module = "umbrella" if parts[1:] == [UMBRELLA] else parts[1]
        elif bracket == '"':
            # A private include, found next to the including file (as the compiler looks first).
            resolved = os.path.normpath(os.path.join(os.path.dirname(rel_path), target))
            inside_engine = resolved.startswith("engine" + os.sep)
            if not inside_engine or not os.path.isfile(os.path.join(root, resolved)):
                findings.append(
                    f"{where}, which is not an engine file (the engine never includes grammar or CLI"
                    " headers; third-party headers take <>)"
                )
                continue
            target_module = module_of_path(resolved)
            if target_module is None:
                continue
        else:
            continue  # a system or third-party header
        if target_module in FORBIDDEN_MODULES:
            findings.append(f"{where}, a {target_module} header (the engine never includes grammar or CLI headers)")
            continue
        target_rank = rank_of(target_module)
        if target_module == own:
            continue
        if target_rank is None:
            findings.append(f"{where}, of module {target_module}, which is not in MODULE_RANK")
        elif target_rank > own_rank:
            findings.append(f"{where}, which is above module {own}")
        elif target_rank == own_rank:
            findings.append(f"{where}, which is beside module {own} (same rank: neither may include the other)")
    return findings


# ---- check 2: functions stay short -------------------------------------------------------

NAMESPACE_HEAD = re.compile(r"\bnamespace\b|^\s*extern\s*\"\"\s*$")
CLASS_HEAD = re.compile(r"\b(class|struct|union|enum)\b[^()]*$")
# The text after a function's parameter list: qualifiers, a trailing return type, a requires
# clause, or a constructor's member-initializer list.
FUNCTION_HEAD = re.compile(
    r"\)\s*((const|volatile|noexcept(\s*\([^()]*\))?|override|final|mutable|&&?|->[^;]*|requires[^;]*)\s*)*"
    r"(:(?!:).*)?$",
    re.S,
)
CTOR_INIT = re.compile(r"\)\s*(noexcept\s*)?:(?!:)", re.S)
FUNCTION_NAME = re.compile(r"(operator\s*(\(\)|[^\s(]+)|~?[A-Za-z_][\w:]*(<[^()]*?>)?)\s*\(")


def function_lengths(text):
    """(first line, name, lines) for each function body in `text`: the outermost ones only,
    so the lambdas and local classes inside a function count toward it."""
    src = strip_code(text)
    stack = []  # (kind, line of '{', name, line of the name)
    out = []
    head_start = 0
    line = 1
    for i, c in enumerate(src):
        if c == "\n":
            line += 1
        elif c == "{":
            head = src[head_start:i]
            kind, name, name_line = _classify(stack, head, line, src, head_start)
            stack.append((kind, line, name, name_line))
            if kind != "init":
                head_start = i + 1
        elif c == "}":
            if not stack:
                continue  # unbalanced (a brace hidden in a macro); nothing sensible to say
            kind, open_line, name, name_line = stack.pop()
            if kind == "fn":
                out.append((name_line, name, line - open_line + 1))
            if kind != "init":
                head_start = i + 1
        elif c == ";":
            head_start = i + 1
    return out


def _classify(stack, head, line, src, head_start):
    """What the '{' after `head` opens: 'fn', 'class', 'ns', 'init' (braces inside a function's
    head: a member's initializer in a constructor's initializer list, a default argument) or
    'block' (anything else)."""
    if any(kind == "fn" for kind, *_ in stack):
        return "block", None, None
    if stack and stack[-1][0] == "init":
        return "init", None, None
    if head.count("(") > head.count(")"):
        return "init", None, None  # a braced argument: a default argument `= {}`, a call's `{1, 2}`
    stripped = head.strip()
    if NAMESPACE_HEAD.search(stripped):
        return "ns", None, None
    if CLASS_HEAD.search(stripped):
        return "class", None, None
    if CTOR_INIT.search(stripped) and re.search(r"[\w>]$", stripped):
        return "init", None, None
    if FUNCTION_HEAD.search(stripped):
        m = FUNCTION_NAME.search(head)
        if m:
            name = re.sub(r"\s+", "", m.group(1))
            name_line = line - head.count("\n", m.start())
        else:
            name, name_line = "(lambda)", line - head.count("\n", len(head) - len(head.lstrip()))
        return "fn", name, name_line
    return "block", None, None


def check_function_lengths(rel_path, text):
    return [
        f"{rel_path}:{name_line}: function {name} is {lines} lines (limit {FUNCTION_LINE_LIMIT})"
        for name_line, name, lines in function_lengths(text)
        if lines > FUNCTION_LINE_LIMIT
    ]


# ---- driver ------------------------------------------------------------------------------


def engine_files(root):
    for dirpath, dirnames, filenames in os.walk(os.path.join(root, "engine")):
        dirnames.sort()
        for filename in sorted(filenames):
            if filename.endswith(SOURCE_SUFFIXES):
                yield os.path.relpath(os.path.join(dirpath, filename), root)


def check(root):
    findings = []
    for rel_path in engine_files(root):
        with open(os.path.join(root, rel_path), encoding="utf-8") as f:
            text = f.read()
        findings += check_includes(root, rel_path, text)
        findings += check_function_lengths(rel_path, text)
    return findings


def self_test():
    """The check on a fixture tree whose findings are known: it must report exactly the lines
    of expected.txt (a long function, upward, sideways, grammar and CLI includes) and nothing
    for the traps (a 150-line function, a long class, braces in strings and comments)."""
    with open(os.path.join(FIXTURE_ROOT, "expected.txt"), encoding="utf-8") as f:
        expected = [l.rstrip("\n") for l in f if l.strip() and not l.startswith("#")]
    got = check(FIXTURE_ROOT)
    missing = [l for l in expected if l not in got]
    extra = [l for l in got if l not in expected]
    for l in missing:
        print(f"self-test: missed: {l}")
    for l in extra:
        print(f"self-test: unexpected: {l}")
    if missing or extra:
        return 1
    print(f"self-test: all {len(expected)} expected findings, nothing else")
    return 0


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    root = REPO_ROOT
    if len(argv) == 3 and argv[1] == "--root":
        root = argv[2]
    elif len(argv) != 1:
        print(__doc__.split("Usage:")[1].split("Why")[0].rstrip(), file=sys.stderr)
        return 2
    findings = check(root)
    for finding in findings:
        print(finding)
    if findings:
        print(f"check_code_layout: {len(findings)} finding(s)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
