#!/usr/bin/env python3
"""Writes the small example tables in this folder (deterministic: fixed seed).

Each table is noiseless: the target is computed from the inputs exactly as written, so a
recovered law reproduces it to rounding error. Inputs are rounded to 6 significant digits,
as a logger would; the target is printed with full precision.
"""
import math
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent


def write(name, header, rows):
    with open(HERE / name, "w", newline="\n") as f:
        f.write(",".join(header) + "\n")
        for row in rows:
            f.write(",".join(repr(v) for v in row) + "\n")


def r6(x):
    return float(f"{x:.6g}")


def main():
    rng = random.Random(20261122)
    rows = []
    for _ in range(300):
        n, T, V = r6(rng.uniform(0.5, 3.0)), r6(rng.uniform(250.0, 400.0)), r6(rng.uniform(0.01, 0.05))
        rows.append((8.314 * n * T / V, n, T, V))
    write("ideal_gas.csv", ["P [Pa]", "n [mol]", "T [K]", "V [m^3]"], rows)

    rows = []
    for _ in range(200):
        m, a = r6(rng.uniform(1.0, 5.0)), r6(rng.uniform(1.0, 5.0))
        rows.append((m * a, m, a))
    write("forces.csv", ["F [N]", "m [kg]", "a [m/s^2]"], rows)

    rows = []
    for _ in range(200):
        L, g = r6(rng.uniform(0.2, 2.0)), r6(rng.uniform(9.7, 9.9))
        rows.append((2 * math.pi * math.sqrt(L / g), L, g))
    write("pendulum.csv", ["T [s]", "L [m]", "g [m/s^2]"], rows)


if __name__ == "__main__":
    main()
