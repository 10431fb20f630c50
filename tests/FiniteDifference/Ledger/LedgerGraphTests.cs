using System.Diagnostics;
using LeanMlirVerify.FiniteDifference.Tools;

namespace LeanMlirVerify.FiniteDifference.Ledger;

using LeanMlirVerify.Calculus.Ledger;

public class LedgerGraphTests
{
    static ProofsLedger Real => LedgerFixtures.Repository();
    static GraphView Whole => new("proofs-ledger", Real.Items, new HashSet<string>());

    static IReadOnlyList<string> Closure(string target) =>
        LedgerGraph.TargetClosure(Real, Real.FindTarget(target)!).Select(i => i.Name).ToList();

    [Theory]
    [InlineData("mlp"), InlineData("cnn"), InlineData("bn"), InlineData("resnet34"), InlineData("mobilenetv2"), InlineData("efficientnet")]
    public void Closure_OfEveryTargetBeforeAttention_HasNoMatrixItem(string target)
    {
        // The Roadmap: "Still no matrix composition" until the attention chapter.
        Assert.DoesNotContain(Closure(target), n => n.Contains("Mat"));
    }

    [Fact]
    public void Closure_OfMlp_SkipsThe3TensorKit_AndCnnAddsIt()
    {
        Assert.DoesNotContain(ItemId.vjp3_comp, Closure("mlp"));
        Assert.Contains(ItemId.vjp_comp, Closure("mlp"));
        Assert.Contains(ItemId.vjp3_comp, Closure("cnn"));
        Assert.Contains(ItemId.pdiv3_comp, Closure("cnn"));
        Assert.Contains(ItemId.mlp_has_vjp, Closure("cnn"));
    }

    [Fact]
    public void Closure_OfVit_HoldsTheMatrixKitTheRoadmapLists()
    {
        var vit = Closure("vit");
        foreach (string name in new[]
        {
            ItemId.vjpMat_comp, ItemId.biPathMat_has_vjp, ItemId.identityMat_has_vjp, ItemId.transpose_has_vjp,
            ItemId.matmul_left_const_has_vjp, ItemId.matmul_right_const_has_vjp, ItemId.scalarScale_has_vjp, ItemId.rowwise_has_vjp_mat,
        })
            Assert.Contains(name, vit);
        Assert.Contains(ItemId.mhsa_has_vjp_mat, vit);
        Assert.DoesNotContain(ItemId.conv2d_has_vjp3, vit);
    }

    [Fact]
    public void Dependents_OfPdivRelu_AreTheTwoSubgradientShortcuts()
    {
        var names = LedgerGraph.Dependents(Real, Real[ItemId.pdiv_relu]).Select(i => i.Name);
        Assert.Equal([ItemId.pdiv_relu, ItemId.relu_has_vjp, ItemId.mlp_has_vjp], names);
    }

    [Fact]
    public void Ancestors_OfResidual_AreTheFanInAndIdentityChain()
    {
        var names = LedgerGraph.Ancestors(Real, Real[ItemId.residual_has_vjp]).Select(i => i.Name);
        Assert.Equal(
            [ItemId.pdiv, ItemId.pdiv_add, ItemId.pdiv_id, ItemId.biPath_has_vjp, ItemId.identity_has_vjp, ItemId.residual_has_vjp], names);
    }

    [Theory]
    [InlineData(GraphFormat.Text, "[axiom]      ")]
    [InlineData(GraphFormat.Dot, "label=\"[axiom] ")]
    [InlineData(GraphFormat.Mermaid, "{{\"[axiom] ")]
    public void EveryFormat_MarksExactlyTheTenAxioms(GraphFormat format, string marker)
    {
        string output = GraphRenderer.Render(Real, Whole, format);
        int marked = output.Split('\n').Count(line => line.Contains(marker));
        Assert.Equal(10, marked);
        Assert.Contains("pdiv_relu", output.Split('\n').First(line => line.Contains(marker)));
    }

    [Fact]
    public void Dot_ColoursNodesByEvidenceStatus()
    {
        var ledger = Real.With(i => i.Name switch
        {
            ItemId.pdiv_comp => i with { Evidence = [] },
            ItemId.pdiv_dense => i with { Evidence = [new(EvidenceKind.Symbolic, "A.B.C")] },
            ItemId.pdiv_relu => i with
            {
                Evidence =
                [
                    new(EvidenceKind.Symbolic, "A.B.C"), new(EvidenceKind.FiniteDifference, "A.B.D"), new(EvidenceKind.Oracle, "A.B.E"),
                ],
            },
            _ => i,
        });
        string dot = GraphRenderer.Dot(ledger, new GraphView("x", ledger.Items, new HashSet<string>()));
        string Line(string name) => dot.Split('\n').Single(l => l.TrimStart().StartsWith(name + " ["));
        Assert.Contains("fillcolor=\"#f2f2f2\"", Line(ItemId.pdiv_comp));
        Assert.Contains("fillcolor=\"#ffe8a3\"", Line(ItemId.pdiv_dense));
        Assert.Contains("fillcolor=\"#b5e3ae\"", Line(ItemId.pdiv_relu));
    }

    [Fact]
    public void Dot_HasOneEdgePerUse_FromUsedToUser()
    {
        string dot = GraphRenderer.Dot(Real, Whole);
        int edges = dot.Split('\n').Count(l => l.Contains(" -> "));
        Assert.Equal(Real.Items.Sum(i => i.Uses.Count), edges);
        Assert.Contains("  pdiv_finset_sum -> pdiv_dense;", dot);
    }

    [Fact]
    public void Dot_BalancesItsBraces()
    {
        string dot = GraphRenderer.Dot(Real, Whole);
        Assert.Equal(dot.Count(c => c == '{'), dot.Count(c => c == '}'));
    }

    [FactNeedingProgram("dot", "graphviz")]
    public async Task Dot_RendersWithGraphviz()
    {
        string dot = GraphRenderer.Dot(Real, Whole);
        string graphviz = ProgramOnPath.Find("dot", Environment.GetEnvironmentVariable("PATH"))!;
        var start = new ProcessStartInfo(graphviz, "-Tsvg")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(dot);
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await stderr);
        string svg = await stdout;
        Assert.Contains("<svg", svg);
        Assert.Contains("pdiv_relu", svg);
    }

    [Fact]
    public void Mermaid_DeclaresEveryNodeBeforeItsEdges()
    {
        string mermaid = GraphRenderer.Mermaid(Real, Whole);
        var lines = mermaid.Split('\n');
        Assert.Equal("flowchart TD", lines[0]);
        Assert.Equal(103, lines.Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^    i\d+[\[\(\{]")));
        Assert.Equal(Real.Items.Sum(i => i.Uses.Count), lines.Count(l => l.Contains(" --> ")));
    }
}
