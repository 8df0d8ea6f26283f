#!/usr/bin/env python3
"""Latency and throughput of `unite serve` (standard library only).

    ./unite serve --model DIR/model --port 8765 &
    python3 benchmarks/serve_latency.py --port 8765 --data ../shared/data/rmd17/rmd17_aspirin_test_01.npz

Sends one molecule per request (the first frames of an rMD17 npz, or water), after a warm-up:
the median and 90th percentile latency of N sequential requests without and with forces, then
the throughput of C concurrent clients for S seconds.
"""
import argparse, json, statistics, threading, time, urllib.request

SYM = {1: "H", 6: "C", 7: "N", 8: "O", 9: "F", 16: "S", 17: "Cl"}


def molecules(path, n):
    if path is None:
        return [{"symbols": ["O", "H", "H"], "positions": [[0, 0, 0.118], [0, 0.755, -0.471], [0, -0.755, -0.471]]}]
    import numpy as np  # only for an npz
    d = np.load(path)
    z, r = d["nuclear_charges"], d["coords"]
    return [{"symbols": [SYM[int(a)] for a in z], "positions": r[i].tolist()} for i in range(min(n, len(r)))]


def post(url, mol):
    body = json.dumps({"molecules": [mol]}).encode()
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    t0 = time.perf_counter()
    with urllib.request.urlopen(req) as r:
        r.read()
    return time.perf_counter() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--data")
    ap.add_argument("--n", type=int, default=50)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=20)
    a = ap.parse_args()
    mols = molecules(a.data, a.n)
    for forces in (False, True):
        url = f"http://127.0.0.1:{a.port}/predict" + ("?forces=true" if forces else "")
        for m in mols[:20]:
            post(url, m)  # warm-up (JIT)
        t = sorted(post(url, mols[i % len(mols)]) for i in range(a.n))
        print(f"{'energy + forces' if forces else 'energy'}: median {1e3 * statistics.median(t):.1f} ms, "
              f"p90 {1e3 * t[int(0.9 * len(t)) - 1]:.1f} ms over {len(t)} sequential requests")
    url = f"http://127.0.0.1:{a.port}/predict"
    done = [0] * a.clients
    stop = time.perf_counter() + a.seconds

    def client(k):
        i = k
        while time.perf_counter() < stop:
            post(url, mols[i % len(mols)])
            done[k] += 1
            i += a.clients

    th = [threading.Thread(target=client, args=(k,)) for k in range(a.clients)]
    for x in th:
        x.start()
    for x in th:
        x.join()
    print(f"throughput (energy): {sum(done) / a.seconds:.1f} requests/s with {a.clients} concurrent clients")


if __name__ == "__main__":
    main()
