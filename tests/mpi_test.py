#!/usr/bin/env python3
"""`kepler` under mpirun with 2 ranks (registered by tests/CMakeLists.txt only when the build
has KEPLER_MPI and mpirun is installed). Evaluation budgets, not clocks, bound every run.

    mpi_test.py fit KEPLER MPIRUN WORKDIR          finds I.13.12's law, prints one result
    mpi_test.py bench KEPLER MPIRUN WORKDIR        4 laws dealt to 2 ranks, one merged results.json
    mpi_test.py determinism KEPLER MPIRUN WORKDIR  same seed, ranks and --max-evals: same front
    mpi_test.py enumeration KEPLER MPIRUN WORKDIR  the enumerations dealt over 2 ranks give the
                                                   one process's result, evaluations and front
    mpi_test.py split KEPLER MPIRUN WORKDIR        the structure split's parts dealt over 2 ranks,
                                                   one result with the law
    mpi_test.py rank_failure KEPLER MPIRUN WORKDIR  rank 1 killed mid-bench: the job ends with an
                                                   error naming it, rank 0's runs are on disk

The fit runs without units and with --max-nodes 5, so the enumeration cannot reach the law
(G*m1*m2*(1/r2 - 1/r1), 11 nodes) and the evolution, spread over both ranks, has to find it;
the structure split (whose parts are cut by the clock) finds nothing there and ends quickly.
"""

import json
import os
import stat
import subprocess
import sys

LAWS = ["I.6.2a", "I.12.1", "I.14.3", "I.25.13"]


def mpirun(mpirun_exe, *args):
    return [mpirun_exe, "--allow-run-as-root", "--oversubscribe", "--bind-to", "none", "-np", "2", *args]


def run(cmd, cwd):
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=300)
    if p.returncode != 0:
        sys.exit("failed (%d): %s\nstdout:\n%s\nstderr:\n%s" % (p.returncode, " ".join(cmd), p.stdout, p.stderr))
    return p


def make_table(kepler, workdir, law="I.13.12"):
    path = os.path.join(workdir, law + ".csv")
    run([kepler, "gen", "feynman", law, "--rows", "500", "--seed", "1", "--out", path], workdir)
    return path


def fit(kepler, mpirun_exe, workdir, json_name, seed):
    table = make_table(kepler, workdir)
    out = os.path.join(workdir, json_name)
    p = run(mpirun(mpirun_exe, kepler, "fit", table, "--target", "U", "--no-units", "--max-nodes", "5",
                   "--threads", "1", "--seed", str(seed), "--max-evals", "2000000", "--time-limit", "120",
                   "--json", out, "--explain", "-q"), workdir)
    with open(out) as f:
        return p.stdout, json.load(f)


def test_fit(kepler, mpirun_exe, workdir):
    stdout, doc = fit(kepler, mpirun_exe, workdir, "fit.json", 1)
    # One result: rank 0 alone prints (one front, one best line) and writes.
    assert stdout.count("Pareto front") == 1, stdout
    assert stdout.count("best: ") == 1, stdout
    assert "spread over 2 ranks" in stdout, stdout
    assert "stage 3, evolution over the inputs" in stdout, stdout
    best = doc["best"]
    assert best["rmse"] <= 1e-12 * 100, best  # the law itself (the target's RMS is below 100)
    for name in ("G", "m1", "m2", "r1", "r2"):
        assert name in best["formula"], best


def test_bench(kepler, mpirun_exe, workdir):
    out = os.path.join(workdir, "bench")
    p = run(mpirun(mpirun_exe, kepler, "bench", "feynman", "--only", ",".join(LAWS), "--max-evals", "300000",
                   "--threads", "1", "--out", out), workdir)
    assert p.stdout.count("results written to") == 1, p.stdout
    with open(os.path.join(out, "results.json")) as f:
        doc = json.load(f)
    ids = [r["id"] for r in doc["results"]]
    assert ids == LAWS, ids  # every law once, in database order
    assert doc["totals"]["runs"] == 4, doc["totals"]
    assert all(r["exact"] for r in doc["results"]), doc["results"]
    for name in ("results.csv", "summary.md", "report.html"):
        assert os.path.exists(os.path.join(out, name)), name


def test_determinism(kepler, mpirun_exe, workdir):
    _, first = fit(kepler, mpirun_exe, workdir, "first.json", 7)
    _, second = fit(kepler, mpirun_exe, workdir, "second.json", 7)
    assert first["best"]["formula"] == second["best"]["formula"], (first["best"], second["best"])
    assert first["evaluations"] == second["evaluations"], (first["evaluations"], second["evaluations"])
    assert [m["formula"] for m in first["front"]] == [m["formula"] for m in second["front"]]


def test_enumeration(kepler, mpirun_exe, workdir):
    # With units the enumerations find the law (stop when exact: no evolution, whose second
    # rank's islands would search apart), so the whole fit is the one process's. A law that no
    # quick fit gives (I.44.4, n*kb*T*log(V2/V1): no quick fit has a logarithm), so both
    # enumerations run.
    table = make_table(kepler, workdir, "I.44.4")
    args = ["fit", table, "--target", "E_n", "--threads", "1", "--seed", "3", "--max-evals", "3000000",
            "--explain", "-q"]
    alone_json, job_json = os.path.join(workdir, "alone.json"), os.path.join(workdir, "job.json")
    run([kepler, *args, "--json", alone_json], workdir)
    p = run(mpirun(mpirun_exe, kepler, *args, "--json", job_json), workdir)
    assert p.stdout.count("dealt over 2 ranks") == 2, p.stdout  # stages 1 and 2
    with open(alone_json) as f:
        alone = json.load(f)
    with open(job_json) as f:
        job = json.load(f)
    assert job["best"]["rmse"] <= 1e-12 * 100, job["best"]
    assert job["best"]["formula"] == alone["best"]["formula"], (job["best"], alone["best"])
    assert job["evaluations"] == alone["evaluations"], (job["evaluations"], alone["evaluations"])
    assert [m["formula"] for m in job["front"]] == [m["formula"] for m in alone["front"]]


def test_split(kepler, mpirun_exe, workdir):
    # I.12.11, F = q*(Ef + B*v*sin(theta)), without units and with --max-nodes 5: the
    # enumeration cannot reach it (8 nodes), the surrogate says y = g(q) * h(Ef, B, v, theta),
    # and the two parts are solved on the two ranks; the evolution then finds the law.
    table = make_table(kepler, workdir, "I.12.11")
    out = os.path.join(workdir, "split.json")
    p = run(mpirun(mpirun_exe, kepler, "fit", table, "--target", "F", "--no-units", "--max-nodes", "5",
                   "--threads", "1", "--seed", "1", "--max-evals", "1000000", "--time-limit", "120",
                   "--json", out, "--explain", "-q"), workdir)
    assert p.stdout.count("best: ") == 1, p.stdout
    assert "parts dealt over 2 ranks" in p.stdout, p.stdout
    # Both parts' steps reach rank 0's explanation, the second's from rank 1.
    assert "part {x0} from the surrogate" in p.stdout, p.stdout
    assert "part {x1,x2,x3,x4} from the surrogate" in p.stdout, p.stdout
    with open(out) as f:
        best = json.load(f)["best"]
    assert best["rmse"] <= 1e-12 * 100, best


def test_rank_failure(kepler, mpirun_exe, workdir):
    # Rank 1 runs under a CPU-time limit of 5 s, so the kernel kills it in the middle of the
    # job (the hard laws take longer than that); mpirun then ends the job. Under the sanitizers
    # (KEPLER_CLOCK_SCALE, set by tests/CMakeLists.txt) every law runs ~10x slower, and 5 s would
    # end the job before any run arrives on rank 0: the limit is scaled with them.
    cpu_seconds = round(5 * float(os.environ.get("KEPLER_CLOCK_SCALE", "1")))
    wrapper = os.path.join(workdir, "rank1_dies.sh")
    with open(wrapper, "w") as f:
        f.write('#!/bin/sh\nif [ "$OMPI_COMM_WORLD_RANK" = 1 ]; then ulimit -t %d; fi\nexec "$@"\n' % cpu_seconds)
    os.chmod(wrapper, os.stat(wrapper).st_mode | stat.S_IXUSR)
    laws = LAWS + ["I.9.18", "I.6.2b", "I.15.3t", "I.16.6", "I.18.4", "II.35.18"]
    out = os.path.join(workdir, "bench")
    cmd = mpirun(mpirun_exe, wrapper, kepler, "bench", "feynman", "--only", ",".join(laws), "--max-evals", "3000000",
                 "--threads", "1", "--out", out)
    p = subprocess.run(cmd, cwd=workdir, capture_output=True, text=True, timeout=300)
    assert p.returncode != 0, (p.returncode, p.stdout, p.stderr)
    assert "rank 1" in p.stdout + p.stderr, (p.stdout, p.stderr)
    # Rank 0 wrote the runs that had arrived before the job ended: some, not all.
    with open(os.path.join(out, "results.json")) as f:
        doc = json.load(f)
    ids = [r["id"] for r in doc["results"]]
    assert 1 <= len(ids) < len(laws), ids
    assert len(set(ids)) == len(ids) and set(ids) <= set(laws), ids
    assert doc["totals"]["runs"] == len(ids), doc["totals"]


def main():
    which, kepler, mpirun_exe, workdir = sys.argv[1:5]
    os.makedirs(workdir, exist_ok=True)
    tests = {"fit": test_fit, "bench": test_bench, "determinism": test_determinism, "enumeration": test_enumeration,
             "split": test_split, "rank_failure": test_rank_failure}
    tests[which](kepler, mpirun_exe, workdir)
    print("ok")


if __name__ == "__main__":
    main()
