#!/usr/bin/env python3
"""e3nn baseline for the unite4j fused tensor-product benchmark (org.unite4j.backend.cuda.CudaTpBenchmark).

Same problem: node and edge irreps 32x0e+32x1o+32x2e, output the same, all 11 parity-allowed paths,
channel-wise with one weight per edge, path and channel (shared_weights=False), paths with the same
output irrep summed, as in the unite4j kernel. In e3nn's notation that is connection mode "uuu" (both
inputs have multiplicity 32 and channel c meets channel c); e3nn's "uvu" with a 32-channel second input
would mix all 32x32 channel pairs (32x the weights), so it is not the same computation. NequIP/MACE
write "uvu" because their second input has multiplicity 1, which makes it this same channel-wise product. graph with N nodes, 16 edges per receiver a, senders (a + 7j - 56) mod N.
Forward = gather h[sender] + TensorProduct + scatter-sum (index_add_) over receivers; backward =
autograd to e, h and w. Times: medians of CUDA-event timings after warm-up. GB/s use the same byte
counts as the Java benchmark (each input read once, each output written once), against the
device-to-device copy bandwidth measured here. Usage: python3 e3nn_compare.py [N1,N2,...] [reps]
"""
import sys, time

def main():
    try:
        import torch
        from e3nn import o3
        import e3nn
    except Exception as ex:  # noqa: BLE001
        print("e3nn_compare: skipped (%s)" % ex)
        return 3
    if not torch.cuda.is_available():
        print("e3nn_compare: skipped (torch sees no CUDA device)")
        return 3
    sizes = [int(s) for s in sys.argv[1].split(",")] if len(sys.argv) > 1 else [1000, 10000, 50000, 200000]
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 21
    dev = torch.device("cuda")
    torch.backends.cuda.matmul.allow_tf32 = False
    print("device: %s, torch %s, e3nn %s" % (torch.cuda.get_device_name(0), torch.__version__, e3nn.__version__))

    def median_ms(fn, warm=3):
        for _ in range(warm):
            fn()
        torch.cuda.synchronize()
        ts = []
        for _ in range(reps):
            a = torch.cuda.Event(enable_timing=True); b = torch.cuda.Event(enable_timing=True)
            a.record(); fn(); b.record(); b.synchronize()
            ts.append(a.elapsed_time(b))
        ts.sort()
        return ts[len(ts) // 2] if len(ts) % 2 else 0.5 * (ts[len(ts) // 2 - 1] + ts[len(ts) // 2])

    nbytes = 1 << 30
    src = torch.empty(nbytes // 4, device=dev).uniform_(-1, 1); dst = torch.empty_like(src)
    t = median_ms(lambda: dst.copy_(src))
    copy = 2.0 * nbytes / (t * 1e-3) / 1e9
    print("copy bandwidth (device to device, 1 GiB, read+write): %.1f GB/s (%.3f ms)" % (copy, t))
    del src, dst
    torch.cuda.empty_cache()

    C = 32
    irreps = o3.Irreps("%dx0e+%dx1o+%dx2e" % (C, C, C))
    instr = []
    for i1, (_, ir1) in enumerate(irreps):
        for i2, (_, ir2) in enumerate(irreps):
            for io, (_, ir3) in enumerate(irreps):
                if ir3 in ir1 * ir2:
                    instr.append((i1, i2, io, "uuu", True))
    instr.sort(key=lambda x: (x[2], x[0], x[1]))
    tp = o3.TensorProduct(irreps, irreps, irreps, instr, shared_weights=False, internal_weights=False).to(dev)
    P = len(instr)
    d = irreps.dim  # 9 * C
    print("irreps %s (edge, node, out), %d paths (e3nn uuu = channel-wise), 16 edges/node; median of %d runs" % (irreps, P, reps))
    print("%-14s %-22s %10s %10s %10s" % ("kernel", "size", "time ms", "GB/s", "of copy"))

    def row(name, size, ms, byts):
        gbs = byts / (ms * 1e-3) / 1e9
        print("%-14s %-22s %10.4f %10.1f %9.1f%%" % (name, size, ms, gbs, 100 * gbs / copy))

    for n in sizes:
        m = 16 * n
        size = "%d nodes/%d edges" % (n, m)
        try:
            a = torch.arange(n, device=dev).repeat_interleave(16)
            j = torch.arange(16, device=dev).repeat(n)
            sender = torch.remainder(a + 7 * j - 56, n)
            receiver = a
            e = torch.empty(m, d, device=dev).uniform_(-1, 1).requires_grad_()
            h = torch.empty(n, d, device=dev).uniform_(-1, 1).requires_grad_()
            w = torch.empty(m, tp.weight_numel, device=dev).uniform_(-1, 1).requires_grad_()
            g = torch.empty(n, d, device=dev).uniform_(-1, 1)

            def fwd():
                msg = tp(e, h[sender], w)
                return torch.zeros(n, d, device=dev, dtype=msg.dtype).index_add_(0, receiver, msg)

            with torch.no_grad():
                tf = median_ms(fwd)
            out = fwd()
            tb = median_ms(lambda: torch.autograd.grad(out, (e, h, w), g, retain_graph=True))
            nE, nH, nW, nO = m * d, n * d, m * P * C, n * d
            fwd_bytes = 4.0 * (nE + nH + nW + nO) + 4.0 * (n + 1 + m)
            bwd_bytes = 4.0 * (nE + nH + nW + nO + nE + nH + nW) + 4.0 * (3 * m + n + 1)
            row("e3nn_fwd", size, tf, fwd_bytes)
            row("e3nn_bwd", size, tb, bwd_bytes)
            print("%-14s %-22s %10.2f" % ("bwd/fwd", size, tb / tf))
            del out, e, h, w, g
        except torch.cuda.OutOfMemoryError:
            print("%-14s %-22s %10s" % ("e3nn_fwd", size, "OOM"))
        torch.cuda.empty_cache()
    return 0

if __name__ == "__main__":
    sys.exit(main())
