namespace LeanMlirVerify.Oracle.Source;

/// <summary>
/// No number becomes a libtorch Scalar or Tensor on the fly anywhere in src/ or tests/: such temporaries can be finalized
/// by the garbage collector while libtorch reads them (a use-after-free seen as Scalar.h:140 assertions and segfaults).
/// </summary>
public class NativeScalarTests
{
    public static TheoryData<string> Projects => [.. SourceTree.Projects.Select(p => p.Folder)];

    [Theory, MemberData(nameof(Projects))]
    public void Sources_HaveNoOnTheFlyScalarsOrTensors(string folder)
    {
        var assembly = SourceTree.Projects.Single(p => p.Folder == folder).Assembly;
        var findings = NativeScalarScanner.Scan(SourceTree.CSharpFiles(folder), SourceTree.References(assembly),
            assembly, executable: assembly is "lmv" or "GradCheckSample",
            extraUsings: SourceTree.GlobalUsings(folder));
        Assert.True(findings.Count == 0, $"{findings.Count} on-the-fly Scalar/Tensor conversions:\n" + string.Join("\n", findings));
    }

    const string Header = "using LeanMlirVerify.Vjp.Algebra; using TorchSharp; using static TorchSharp.torch;\nstatic class Planted {\n";

    [Theory]
    [InlineData("static Tensor F(Tensor x) => x.mul_(0.9);", "implicit conversion to Scalar: 0.9")]
    [InlineData("static Tensor F(Tensor x) => x.add_(x, alpha: 0.5);", "implicit conversion to Scalar: 0.5")]
    [InlineData("static Tensor F(Tensor x) => x * 0.5;", "operator op_Multiply on a Tensor and a number")]
    [InlineData("static Tensor F(Tensor x) => 1 - x;", "operator op_Subtraction on a Tensor and a number")]
    [InlineData("static void F(Tensor x) { x += 1; }", "operator op_Addition on a Tensor and a number")]
    [InlineData("static Tensor F(Tensor x) => x.mul((Scalar)0.5);", "cast to Scalar without a lifetime")]
    [InlineData("static Tensor F(Tensor x) => x.mul(0.5.ToScalar());", "temporary Scalar without a lifetime")]
    [InlineData("static Tensor F(Tensor x) => x.mul(2.0);", "implicit conversion to Scalar: 2.0")]
    [InlineData("static Tensor F(Tensor x) => where(x.gt(x), x, 1.0);", "implicit conversion to Tensor: 1.0")]
    [InlineData("static Tensor F(Tensor x) => x + x;", "TorchSharp's Tensor.op_Addition makes a Scalar or Tensor inside")]
    [InlineData("static void F(Tensor x, Tensor y) { x += y; }", "TorchSharp's Tensor.op_Addition makes")]
    [InlineData("static Tensor F(Tensor x) => x.add_(x);", "TorchSharp's Tensor.add_ makes")]
    [InlineData("static Tensor F(Tensor x) => torch.add(x, x);", "TorchSharp's torch.add makes")]
    [InlineData("static Tensor F(Tensor x, Scalar s) => x.add(s);", "TorchSharp's Tensor.add makes")]
    [InlineData("static Tensor F(Tensor x, Scalar s) => s - x;", "TorchSharp's Tensor.op_Subtraction makes")]
    [InlineData("static Tensor F(Tensor x) => x.square();", "TorchSharp's Tensor.square makes")]
    [InlineData("static Tensor F(Tensor x) => x.addcdiv_(x, x);", "TorchSharp's Tensor.addcdiv_ makes")]
    [InlineData("static object F(jit.CompilationUnit u, Tensor x) => u.invoke(\"f\", x, 0.5);", "TorchSharp's CompilationUnit.invoke makes")]
    [InlineData("static object F(jit.CompilationUnit u, object[] a) => u.invoke(\"f\", a);", "TorchSharp's CompilationUnit.invoke makes")]
    public void PlantedConversion_IsFoundWithItsLine(string member, string why)
    {
        var findings = Scan(member);
        var finding = Assert.Single(findings);
        Assert.Contains(why, finding.ToString());
        Assert.Equal(("Planted.cs", 3), (finding.File, finding.Line));
    }

    [Fact]
    public void PlantedClamp_IsFoundOncePerBound()
    {
        var findings = Scan("static Tensor F(Tensor x) => x.clamp(0, 6);");
        Assert.Equal(["implicit conversion to Scalar: 0", "implicit conversion to Scalar: 6"], findings.Select(f => $"{f.Why}: {f.Code}"));
    }

    [Theory]
    [InlineData("static Tensor F(Tensor x) { using var s = 0.5.ToScalar(); return x.mul_(s); }")]
    [InlineData("static readonly Scalar Half = 0.5.ToScalar(); static Tensor F(Tensor x) => x.mul(Half);")]
    [InlineData("static Tensor F(Tensor x) => x.Mul(0.5).Clamp(0, 6) * x;")]
    [InlineData("static Tensor F(Tensor x) => x.sum([1L], keepdim: true).mean();")]
    [InlineData("static Tensor F(Tensor x, Tensor y) => x.Add(y).AddInPlace(y).Square() - y * y;")]
    [InlineData("static Tensor F(Tensor x, Scalar s) => x.add(x, s).add_(s, s);")]
    [InlineData("static object F(jit.CompilationUnit u, Tensor x, Tensor y) => u.invoke(\"f\", x, y);")]
    public void ExplicitLifetime_IsAccepted(string member) => Assert.Empty(Scan(member));

    static IReadOnlyList<NativeScalarScanner.Finding> Scan(string member) =>
        NativeScalarScanner.Scan([("Planted.cs", Header + member + "\n}")], SourceTree.References("none"));
}
