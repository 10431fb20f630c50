using LeanMlirVerify.Oracle.Differential;
using LeanMlirVerify.Oracle.Rules;
using LeanMlirVerify.Training.Comparisons;
using LeanMlirVerify.Training.Twin;
using LeanMlirVerify.Vjp.Algebra;
using LeanMlirVerify.Vjp.Catalog;
using LeanMlirVerify.Vjp.Checking;
using LeanMlirVerify.Vjp.Rules;
using static TorchSharp.torch;

namespace LeanMlirVerify.Oracle.Stress;

/// <summary>
/// The check families as workloads: each runs the library's own checks and reports every measured error, after
/// requiring that the checks pass (a stressed run that fails a check is a finding too, not only one that differs).
/// </summary>
static class CheckWorkloads
{
    /// <summary>
    /// How far a finite-difference error may move between runs. These errors are rounding noise of the central
    /// difference (≈ 1e-11 … 1e-9) and are not bitwise reproducible even without any stress: between quiet runs in one
    /// process the conv2d weight check moved by 2.7e-15 and attention entries of the rule catalog by up to 9.4e-11
    /// (their float64 forwards differ in the last bits from run to run). A tenth of the checks' own bar (1e-7).
    /// </summary>
    public const double FdErrorTolerance = 1e-8;

    /// <summary>The book's finite-difference checks (src/Vjp/Checking), all of them, as <c>lmv check --fd</c> runs them.</summary>
    public static Fingerprint BookChecks()
    {
        var numbers = new Fingerprint();
        var rows = FdSuite.Run();
        Assert.True(rows.Count >= 25, $"{rows.Count} rows");
        foreach (var row in rows)
        {
            Assert.True(row.Passed, row.ToString());
            numbers.Add($"{row.Check} {row.Sizes}", row.MaxError, FdErrorTolerance);
        }
        return numbers;
    }

    /// <summary>Every rule catalog entry at <paramref name="cases"/> seeded random cases (the property suite's check).</summary>
    public static Fingerprint RuleCatalogProperties(int cases)
    {
        var numbers = new Fingerprint();
        foreach (var entry in RuleCatalog.All)
            for (int seed = 1; seed <= Math.Min(cases, entry.Runs); seed++)
            {
                using var scope = NewDisposeScope();
                var init = Init.Float64Cpu(seed);
                var c = entry.Build(init);
                var dy = init.Point(c.Forward(c.X).shape);
                foreach (var row in VjpCheck.Cotangent(c, dy, relative: true))
                {
                    Assert.True(row.Passed, $"{entry.Id} seed {seed}: {row}");
                    numbers.Add($"{entry.Id} seed {seed} {row.Check}", row.MaxError, FdErrorTolerance);
                }
            }
        return numbers;
    }

    /// <summary>The per-rule autograd oracle (src/Training/Comparisons/RuleOracle.cs), a case of each rule kind, float64 and
    /// float32.</summary>
    public static Fingerprint RuleOracle()
    {
        var numbers = new Fingerprint();
        foreach (var (name, run) in OracleCases)
            foreach (var dtype in new[] { ScalarType.Float64, ScalarType.Float32 })
            {
                using var scope = NewDisposeScope();
                var result = run(dtype);
                if (dtype == ScalarType.Float64) result.RequireCaseRelative(OracleHarness.Float64Bound);
                foreach (var row in result.Comparisons)
                {
                    Assert.True(row.Finite, $"{name} {dtype}: {row}");
                    numbers.Add($"{name} {dtype} {row.Name} max|Δ|", row.MaxAbs).Add($"{name} {dtype} {row.Name} rel", row.MaxRel);
                }
            }
        return numbers;
    }

    /// <summary>The differential cases (hand-derived graph against the autograd twin, 3 Adam steps) in the given dtypes.</summary>
    public static Fingerprint Differential(IEnumerable<string> names, params ScalarType[] dtypes)
    {
        var numbers = new Fingerprint();
        using var scope = NewDisposeScope();
        var batches = FirstImages.Batches(DifferentialRun.Steps);
        foreach (var name in names)
            foreach (var dtype in dtypes)
            {
                using var caseScope = NewDisposeScope();
                var r = DifferentialRun.Run(DifferentialCatalog.Find(name), dtype, batches);
                Assert.True(r.Problems().Count == 0, $"{name} {dtype}: {string.Join("; ", r.Problems())}");
                for (int step = 0; step < DifferentialRun.Steps; step++)
                    numbers.Add($"{name} {dtype} step {step + 1} hand loss", r.HandLosses[step])
                        .Add($"{name} {dtype} step {step + 1} twin loss", r.TwinLosses[step]);
                foreach (var row in r.Step1)
                    numbers.Add($"{name} {dtype} {row.Name} max|Δ|", row.MaxAbs).Add($"{name} {dtype} {row.Name} rel", row.MaxRel);
            }
        return numbers;
    }

    static OracleResult Run<TIn, TOut>(ScalarType dtype, Func<Init, OracleCase<TIn, TOut>> build)
        where TIn : IValue<TIn> where TOut : IValue<TOut> => OracleHarness.Run(build, dtype, CPU);

    static OracleCase<Tensor3, Tensor3> Block(Init init, HasVjp<Tensor3, Tensor3> rule, Func<Tensor, ParamCursor, Tensor> twin, long ic) =>
        new(rule, (x, p) =>
        {
            var cursor = new ParamCursor(p, "twin block");
            var y = twin(x, cursor);
            cursor.RequireEnd();
            return y;
        }, new Tensor3(init.Point(2, ic, 6, 6)));

    /// <summary>Away from every activation kink, as the activation oracle tests sample.</summary>
    static readonly double[] Kinks = [0, 6, -3, 3];

    static readonly (string Name, Func<ScalarType, OracleResult> Run)[] OracleCases =
    [
        ("dense", d => Run(d, DenseOracleTests.Case)),
        ("conv k3 s2", d => Run(d, init => new OracleCase<Tensor3, Tensor3>(new Conv2d(init.Normal([4, 3, 3, 3], 0.4), init.Normal([4]), 2),
            (x, p) => TwinOps.Conv2d(x, p[0], p[1], 2), new Tensor3(init.Point(3, 3, 7, 7))))),
        ("depthwise k5 s1", d => Run(d, init => new OracleCase<Tensor3, Tensor3>(
            new Conv2d(init.Normal([4, 1, 5, 5], 0.4), init.Normal([4]), 1, depthwise: true),
            (x, p) => TwinOps.Depthwise(x, p[0], p[1], 1), new Tensor3(init.Point(3, 4, 6, 6))))),
        ("batch norm", d => Run(d, init => new OracleCase<Tensor3, Tensor3>(new BnNormalize(3) { Training = true },
            (x, _) => TwinOps.BatchNormTrain(x, ones(x.shape[1], x.dtype, x.device), zeros(x.shape[1], x.dtype, x.device)),
            new Tensor3(init.Point(4, 3, 5, 6))))),
        ("max pool", d => Run(d, init => new OracleCase<Tensor3, Tensor3>(new MaxPool(2, 2),
            (x, _) => TwinOps.MaxPool(x, 2, 2), new Tensor3(init.Distinct(0.01, 2, 3, 8, 8))))),
        .. new[] { "relu6", "swish", "hswish", "hsigmoid" }.Select(a => ($"activation {a}", (Func<ScalarType, OracleResult>)(d =>
            Run(d, init => new OracleCase<Tensor3, Tensor3>(Activations.ByName<Tensor3>(a), (x, _) => TwinOps.Activation(a, x),
                new Tensor3(init.AwayFrom(Kinks, 1e-3, 3, 3, 4, 5, 5))))))),
        ("softmax-CE smoothing 0.1", d => Run(d, init =>
        {
            var labels = tensor(new long[] { 3, 0, 9, 9, 1, 4 });
            return new OracleCase<Vec, Vec>(new SoftmaxCrossEntropy(labels, 0.1),
                (z, _) => TwinOps.SoftmaxCrossEntropy(z, labels, 0.1).view(1, 1), new Vec(init.Point(6, 10)));
        })),
        ("basic block s2", d => Run(d, init => Block(init, Blocks.BasicBlock(4, 4, 2, init),
            (x, p) => TwinBlocks.BasicBlock(x, p, 4, 4, 2), 4))),
        ("squeeze-excite", d => Run(d, init => Block(init, Blocks.SqueezeExcite(8, 2, "swish", "sigmoid", init),
            (x, p) => TwinBlocks.SqueezeExcite(x, p, 8, 2, "swish", "sigmoid"), 8))),
        ("inverted residual", d => Run(d, init => Block(init, Blocks.InvertedResidual(4, 6, 1, 2, init),
            (x, p) => TwinBlocks.InvertedResidual(x, p, 4, 6, 1, 2), 4))),
        ("mbconv-v3", d => Run(d, init => Block(init, Blocks.MbConvV3(4, 4, 8, 3, 1, true, true, init),
            (x, p) => TwinBlocks.MbConvV3(x, p, 4, 4, 8, 3, 1, true, true), 4))),
        ("uib", d => Run(d, init => Block(init, Blocks.Uib(4, 4, 2, 1, 3, 5, init), (x, p) => TwinBlocks.Uib(x, p, 4, 4, 2, 1, 3, 5), 4))),
    ];
}
