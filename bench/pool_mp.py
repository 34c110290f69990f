#!/usr/bin/env python3
"""Python multiprocessing baseline for bench/run.sh.

A Pool of J worker processes runs COMMAND (default /bin/true) N times; each task is one
subprocess.run () in a pool worker, so every worker spawns its own children, as in the
classic Pool(processes=5).map(worker, names) lesson this project grew out of.

    python3 bench/pool_mp.py -j 8 -n 2000 [-- cmd args...]

Exits 0 if every run succeeded, 1 otherwise.
"""

import argparse
import multiprocessing
import subprocess
import sys

COMMAND = ["/bin/true"]


def run_one(_index):
    return subprocess.run(COMMAND).returncode


def init_worker(command):
    global COMMAND
    COMMAND = command


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-j", "--jobs", type=int, default=8, help="pool size (8)")
    parser.add_argument("-n", "--count", type=int, default=2000, help="number of runs (2000)")
    parser.add_argument("command", nargs="*", default=["/bin/true"],
                        help="command and arguments, after -- (default /bin/true)")
    args = parser.parse_args()
    if args.jobs < 1 or args.count < 0:
        parser.error("-j must be at least 1 and -n at least 0")

    with multiprocessing.Pool(args.jobs, initializer=init_worker,
                              initargs=(args.command,)) as pool:
        codes = pool.map(run_one, range(args.count))
    failed = sum(1 for code in codes if code != 0)
    if failed:
        print(f"pool_mp.py: {failed} of {args.count} runs failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
