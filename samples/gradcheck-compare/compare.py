#!/usr/bin/python3
"""The cases of samples/gradcheck-compare/Compare (our GradCheck) through torch.autograd.gradcheck and gradgradcheck,
default and fast_mode=True, timed. Needs Debian's python3-torch (apt-get install -y python3-torch; run with /usr/bin/python3).

Prints one Markdown row per case and mode: verdict, median time of REPS runs (after one warm-up), and what torch said.
Usage: /usr/bin/python3 samples/gradcheck-compare/compare.py [REPS]
"""
import math
import statistics
import sys
import time
import warnings

import torch
from torch.autograd import gradcheck, gradgradcheck

REPS = int(sys.argv[1]) if len(sys.argv) > 1 else 5
torch.manual_seed(0)
torch.set_num_threads(1)


def points(n, phase=0.7, scale=1.5, f=math.sin):
    """The same float64 values as Compare/Program.cs: scale·f(1.3k + phase), k = 0…n−1."""
    return [scale * f(1.3 * k + phase) for k in range(n)]


def x24(dtype=torch.float64):
    return torch.tensor(points(24), dtype=torch.float64).reshape(4, 6).to(dtype).requires_grad_()


def with_zeros():
    """x24 with every fifth element exactly 0 (ReLU's kink)."""
    v = points(24)
    return torch.tensor([0.0 if k % 5 == 0 else v[k] for k in range(24)], dtype=torch.float64).reshape(4, 6).requires_grad_()


# Custom functions: the same forwards and backwards (and defects) as Compare/Functions.cs.
class Square(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        return dy * 2 * x


class SquareWrongAtOneElement(torch.autograd.Function):
    """Backward 1 % too large at flat element 7 only."""
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        factor = torch.ones(x.numel(), dtype=x.dtype)
        factor[7] = 1.01
        return dy * 2 * x * factor.reshape(x.shape)


class TimesSquareTimes(torch.autograd.Function):
    """a·b²·c; with the defect, b's gradient forgets the factor 2 (a and c are right)."""
    b_factor = 2.0

    @classmethod
    def forward(cls, ctx, a, b, c):
        ctx.save_for_backward(a, b, c)
        return a * b * b * c

    @classmethod
    def backward(cls, ctx, dy):
        a, b, c = ctx.saved_tensors
        return dy * b * b * c, dy * a * b * c * cls.b_factor, dy * a * b * b


class TimesSquareTimesForgetsTwo(TimesSquareTimes):
    b_factor = 1.0


class TanhScaledBy1001(torch.autograd.Function):
    """tanh, backward (1 − y²)·dy·1.001: 0.1 % off everywhere."""
    @staticmethod
    def forward(ctx, x):
        y = torch.tanh(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, dy):
        (y,) = ctx.saved_tensors
        return dy * (1 - y * y) * 1.001


class CubeWithDetachedFactor(torch.autograd.Function):
    """x³, backward 3x²·dy with one factor x detached: right at first order, its own derivative half of 6x·dy."""
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x * x

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        return dy * x * x.detach() * 3


class ReluOneAtZero(torch.autograd.Function):
    """ReLU whose backward claims ReLU′(0) = 1 (x ≥ 0), not the convention ReLU′(0) = 0."""
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(min=0)

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        return dy * (x >= 0).to(dy.dtype)


def big():
    return torch.tensor(points(4096), dtype=torch.float64).reshape(64, 64).requires_grad_()


# (name, truth, check, function, inputs): truth is what a checker should say.
CASES = [
    ("correct backward (x², 4×6)", "pass", gradcheck, Square.apply, lambda: (x24(),)),
    ("wrong in one element of 24 (1 %)", "fail", gradcheck, SquareWrongAtOneElement.apply, lambda: (x24(),)),
    ("wrong for one input of three (a·b²·c, b's factor 2 forgotten)", "fail", gradcheck, TimesSquareTimesForgetsTwo.apply,
     lambda: (x24(), torch.tensor(points(24, 0.3, 1.2, math.cos), dtype=torch.float64).reshape(4, 6).requires_grad_(),
              torch.tensor(points(24, 1.1, 0.9), dtype=torch.float64).reshape(4, 6).requires_grad_())),
    ("backward scaled by 1.001 (tanh)", "fail", gradcheck, TanhScaledBy1001.apply, lambda: (x24(),)),
    ("first order of x³ with a detached factor", "pass", gradcheck, CubeWithDetachedFactor.apply, lambda: (x24(),)),
    ("second order of the same (gradgradcheck)", "fail", gradgradcheck, CubeWithDetachedFactor.apply, lambda: (x24(),)),
    ("correct backward, float32 input", "pass", gradcheck, Square.apply, lambda: (x24(torch.float32),)),
    ("wrong in one element (1 %), float32 input", "fail", gradcheck, SquareWrongAtOneElement.apply,
     lambda: (x24(torch.float32),)),
    ("ReLU at exact zeros (backward 0 there, the convention)", "pass", gradcheck, torch.relu, lambda: (with_zeros(),)),
    ("ReLU at exact zeros, backward claims 1 there", "fail", gradcheck, ReluOneAtZero.apply, lambda: (with_zeros(),)),
    ("correct backward (x², 64×64)", "pass", gradcheck, Square.apply, lambda: (big(),)),
    ("wrong in one element of 4096 (1 %, 64×64)", "fail", gradcheck, SquareWrongAtOneElement.apply, lambda: (big(),)),
]


def run(check, fn, inputs, fast, **tolerances):
    """One check: (verdict, what torch said)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            ok = check(fn, inputs, fast_mode=fast, raise_exception=True, **tolerances)
            said = "True"
        except Exception as e:  # gradcheck raises GradcheckError (a RuntimeError) on a mismatch
            ok = False
            lines = str(e).strip().splitlines()
            said = f"{type(e).__name__}: {lines[0].rstrip(',')} + {len(lines) - 1} lines ({len(str(e))} chars)"
        if caught:
            said += f" (warning: {str(caught[0].message).splitlines()[0][:60]}…)"
    return ("pass" if ok else "FAIL"), said


def timed(check, fn, make, fast):
    run(check, fn, make(), fast)  # warm-up
    times = []
    for _ in range(REPS):
        inputs = make()
        start = time.perf_counter()
        run(check, fn, inputs, fast)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


print(f"torch {torch.__version__}, {torch.get_num_threads()} thread(s); median of {REPS} runs after a warm-up")
print()
print("| case | should | torch default | ms | torch fast_mode | ms | torch says (default; fast) |")
print("|---|---|---|---|---|---|---|")
for name, truth, check, fn, make in CASES:
    verdict, said = run(check, fn, make(), False)
    fverdict, fsaid = run(check, fn, make(), True)
    ms = timed(check, fn, make, False)
    fms = timed(check, fn, make, True)
    said_both = said if fsaid == said else f"{said}; {fsaid}"
    print(f"| {name} | {truth} | {verdict} | {ms:.1f} | {fverdict} | {fms:.1f} | {said_both.replace('|', '/')} |")

# The same cases at our float64 tolerances (atol 1e-8, rtol 1e-6) instead of torch's defaults (atol 1e-5, rtol 1e-3).
print()
print("At atol=1e-8, rtol=1e-6 (our float64 defaults):")
print()
print("| case | should | torch default | torch fast_mode |")
print("|---|---|---|---|")
for name, truth, check, fn, make in CASES:
    verdict, _ = run(check, fn, make(), False, atol=1e-8, rtol=1e-6)
    fverdict, _ = run(check, fn, make(), True, atol=1e-8, rtol=1e-6)
    print(f"| {name} | {truth} | {verdict} | {fverdict} |")

# Fast mode's power on the 4096-element case: its random projection depends on torch's seed.
print()
caught = 0
for seed in range(20):
    torch.manual_seed(seed)
    caught += run(gradcheck, SquareWrongAtOneElement.apply, (big(),), True)[0] == "FAIL"
print(f"wrong in one element of 4096, fast_mode=True, torch.manual_seed(0…19): caught {caught} of 20")
for tolerances in ({}, {"atol": 1e-8, "rtol": 1e-6}):
    caught = 0
    for seed in range(20):
        torch.manual_seed(seed)
        caught += run(gradcheck, SquareWrongAtOneElement.apply, (x24(),), True, **tolerances)[0] == "FAIL"
    at = ", atol=1e-8, rtol=1e-6" if tolerances else ""
    print(f"wrong in one element of 24, fast_mode=True{at}, torch.manual_seed(0…19): caught {caught} of 20")
