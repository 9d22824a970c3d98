#!/usr/bin/env python3
"""The peer side of the side-by-side table (bench/bench_table.sh, `make bench`).

  peers.py ROW     prints "ROW SECONDS" (seconds per unit of work), or
                   "ROW missing MODULE" when numpy/scipy/mpmath is not installed
  peers.py --list  prints the rows

The work is repeated until 0.3 s have passed, after one warm-up call,
unless that call alone took 0.3 s (then it is the measurement), as
bench_kernels does.  Same laws of inputs as the C side:
symmetric matrices with entries uniform in [-1, 1] (fixed seed).
"""
import sys
import time


def timed(fn):
    start = time.perf_counter()
    fn()
    first = time.perf_counter() - start
    if first >= 0.3:
        return first  # one call is long enough; it was also the warm-up
    start = time.perf_counter()
    calls = 0
    while True:
        fn()
        calls += 1
        elapsed = time.perf_counter() - start
        if elapsed >= 0.3:
            return elapsed / calls


def symm_mp(n, diag=0.0):
    import random
    from mpmath import mp
    rnd = random.Random(1)
    A = mp.matrix(n, n)
    for i in range(n):
        for j in range(i + 1):
            v = rnd.uniform(-1, 1) + (diag if i == j else 0.0)
            A[i, j] = A[j, i] = mp.mpf(v)
    return A


def eig_mpfr(n):
    from mpmath import mp
    mp.prec = 128
    A = symm_mp(n)
    return lambda: mp.eigsy(A, eigvals_only=True)


def chol_mpfr(n):
    from mpmath import mp
    mp.prec = 128
    A = symm_mp(n, float(n))
    return lambda: mp.cholesky(A)


def symm_np(n):
    import numpy as np
    rng = np.random.default_rng(1)
    B = rng.uniform(-1, 1, (n, n))
    return np.tril(B) + np.tril(B, -1).T


def dsyevd(n):
    import numpy as np
    A = symm_np(n)
    return lambda: np.linalg.eigvalsh(A)


BALL_BATCH = 10000


def ball(d):
    """numpy's vectorised sampler: x = r u^(1/d) g/|g|, per sample."""
    import numpy as np
    rng = np.random.default_rng(1)

    def sample():
        g = rng.standard_normal((BALL_BATCH, d))
        u = rng.random(BALL_BATCH)
        g *= (u ** (1.0 / d) / np.linalg.norm(g, axis=1))[:, None]
        return g
    return sample


def ntk_h0(n, d, m):
    """One instance: W ~ N(0, I_d) of width m, H(0) = (S S^T / m) * (X X^T)
    with S_ik = 1{w_k.x_i >= 0}, H_inf from its closed form, and
    |H(0) - H_inf|_2 and lambda_min of both (eigvalsh)."""
    import numpy as np
    rng = np.random.default_rng(1)
    X = rng.standard_normal((n, d))
    X /= np.linalg.norm(X, axis=1)[:, None]
    G = X @ X.T
    theta = np.arccos(np.clip(G, -1, 1))
    Hinf = G * (np.pi - theta) / (2 * np.pi)

    def instance():
        W = rng.standard_normal((m, d))
        S = (X @ W.T >= 0).astype(np.float64)
        H0 = (S @ S.T / m) * G
        dev = np.abs(np.linalg.eigvalsh(H0 - Hinf)).max()
        return dev, np.linalg.eigvalsh(H0)[0], np.linalg.eigvalsh(Hinf)[0]
    return instance


def h0_patterns(n, d, m):
    """H(0) alone, the formulation of issue 10: S = X @ W.T, P = (S >= 0)
    as float64, H = (P @ P.T) / m * (X @ X.T); X unit rows, W Gaussian."""
    import numpy as np
    rng = np.random.default_rng(1)
    X = rng.standard_normal((n, d))
    X /= np.linalg.norm(X, axis=1)[:, None]
    W = rng.standard_normal((m, d))

    def h0():
        S = X @ W.T
        P = (S >= 0).astype(np.float64)
        return (P @ P.T) / m * (X @ X.T)
    return h0


def fwht(n):
    """In-place-style fast Walsh-Hadamard transform, vectorised per level."""
    import numpy as np
    x0 = np.random.default_rng(1).uniform(-1, 1, n)

    def transform():
        x = x0.copy()
        h = 1
        while h < n:
            y = x.reshape(-1, 2, h)
            a = y[:, 0, :].copy()
            y[:, 0, :] += y[:, 1, :]
            y[:, 1, :] = a - y[:, 1, :]
            h *= 2
        return x
    return transform


ROWS = {
    "eig-mpfr-20": ("mpmath", lambda: eig_mpfr(20), 1),
    "eig-mpfr-40": ("mpmath", lambda: eig_mpfr(40), 1),
    "eig-mpfr-80": ("mpmath", lambda: eig_mpfr(80), 1),
    "eig-mpfr-200": ("mpmath", lambda: eig_mpfr(200), 1),
    "chol-mpfr-200": ("mpmath", lambda: chol_mpfr(200), 1),
    "dsyevd-1000": ("numpy", lambda: dsyevd(1000), 1),
    "ball-100": ("numpy", lambda: ball(100), BALL_BATCH),
    "ntk-h0": ("numpy", lambda: ntk_h0(6, 5, 65536), 1),
    "fwht-65536": ("numpy", lambda: fwht(65536), 1),
    "h0-1000": ("numpy", lambda: h0_patterns(1000, 50, 10000), 1),
}


def main():
    if len(sys.argv) != 2:
        print("usage: peers.py ROW | --list", file=sys.stderr)
        return 2
    if sys.argv[1] == "--list":
        print("\n".join(ROWS))
        return 0
    row = sys.argv[1]
    if row not in ROWS:
        print(f"peers.py: unknown row '{row}'", file=sys.stderr)
        return 2
    module, make, per_call = ROWS[row]
    try:
        __import__(module)
    except ImportError:
        print(f"{row} missing {module}")
        return 0
    print(f"{row} {timed(make()) / per_call:.6e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
