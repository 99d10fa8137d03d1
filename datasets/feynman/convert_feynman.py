#!/usr/bin/env python3
"""One-time conversion of the Feynman Symbolic Regression Database into Kepler's law format.

Input: ../shared/feynman/FeynmanEquations.csv and units.csv (PhySO's byte-for-byte copies of
the AI Feynman tables, MIT licence). Output: feynman.laws in this folder. Run from the
repository root:  python3 datasets/feynman/convert_feynman.py ../shared/feynman

What it changes, and why:
- formulas from Python/SymPy syntax to Kepler's: ** -> ^, arcsin -> asin, ln -> log;
- the input count is taken from the listed inputs (the '# variables' column is wrong for
  I.18.12, I.18.14, I.38.12, II.37.1, III.10.19, III.19.51);
- mu_drift's units are (0,1,-1,0,0) = s/kg, not (0,-1,1,0,0): only then does I.43.16 balance;
- units become unit expressions of the `feynman` unit system (base units m, s, kg, K, V).
Equation ids are kept as in the tables (I.6.2a is the book's I.6.20a; see README.md).
"""
import csv
import re
import sys
from pathlib import Path

BASES = ["m", "s", "kg", "K", "V"]  # units.csv columns m, s, kg, T, V (T is the kelvin)


def read_rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return [r for r in csv.DictReader(f) if any((v or "").strip() for v in r.values())]


def unit_text(exponents):
    parts = []
    for base, e in zip(BASES, exponents):
        if e == 0:
            continue
        parts.append(base if e == 1 else f"{base}^{e}")
    return "*".join(parts) if parts else "1"


def convert_formula(text):
    text = text.replace("**", "^")
    text = re.sub(r"\barcsin\b", "asin", text)
    text = re.sub(r"\barccos\b", "acos", text)
    text = re.sub(r"\barctan\b", "atan", text)
    text = re.sub(r"\bln\b", "log", text)
    return text


def number(text):
    v = float(text)
    return str(int(v)) if v == int(v) else repr(v)


def main():
    source = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/feynman")
    units = {}
    for r in read_rows(source / "units.csv"):
        exps = [int(float(r[c])) for c in ["m", "s", "kg", "T", "V"]]
        if r["Variable"] == "mu_drift":
            exps = [0, 1, -1, 0, 0]  # erratum: drift mobility is s/kg
        units[r["Variable"]] = (unit_text(exps), r["Units"].strip())

    out = [
        "# The Feynman Symbolic Regression Database (Udrescu & Tegmark, AI Feynman, 2020): 100 laws.",
        "# Converted by convert_feynman.py from PhySO's copy of FeynmanEquations.csv and units.csv",
        "# (MIT licence); errata fixed there. Units are expressions of the `feynman` unit system.",
        "# Each law: `law ID`, then `target NAME [UNIT]`, `formula TEXT`, and one",
        "# `input NAME [UNIT] LOW HIGH` per input (sampled uniformly in [LOW, HIGH]).",
        "",
    ]
    rows = read_rows(source / "FeynmanEquations.csv")
    rows.sort(key=lambda r: int(r["Number"]))
    for r in rows:
        out.append(f"law {r['Filename'].strip()}")
        target = r["Output"].strip()
        out.append(f"  target {target} [{units[target][0]}]")
        out.append(f"  formula {convert_formula(r['Formula'].strip())}")
        for k in range(1, 11):
            name = (r.get(f"v{k}_name") or "").strip()
            if not name:
                continue
            low, high = number(r[f"v{k}_low"]), number(r[f"v{k}_high"])
            out.append(f"  input {name} [{units[name][0]}] {low} {high}")
        out.append("")
    Path(__file__).with_name("feynman.laws").write_text("\n".join(out))
    print(f"wrote {len(rows)} laws")


if __name__ == "__main__":
    main()
