using System.Reflection;
using LeanMlirVerify.Calculus.Derivations;
using LeanMlirVerify.Calculus.Ledger;

namespace LeanMlirVerify.FiniteDifference.Calculus;

public sealed class DerivationCatalogTests
{
    // The ledger theorems that state a Jacobian or VJP formula (issue 3), plus the structural/composition theorems.
    static readonly string[] FormulaTheorems =
    [
        ItemId.pdiv_dense, ItemId.pdiv_dense_W, ItemId.softmaxCE_grad, ItemId.dense_has_vjp, ItemId.dense_weight_grad_correct,
        ItemId.dense_bias_grad_correct, ItemId.conv2d_weight_grad_has_vjp, ItemId.conv2d_bias_grad_has_vjp, ItemId.pdiv_bnAffine,
        ItemId.pdiv_bnCentered, ItemId.pdiv_bnIstdBroadcast, ItemId.bnNormalize_has_vjp, ItemId.bnAffine_has_vjp, ItemId.bn_has_vjp,
        ItemId.depthwise_weight_grad_has_vjp3, ItemId.depthwise_bias_grad_has_vjp, ItemId.seBlock_has_vjp, ItemId.pdiv_gelu,
        ItemId.layerNorm_has_vjp, ItemId.gelu_has_vjp, ItemId.gelu_tanh_has_vjp, ItemId.pdiv_softmax, ItemId.softmax_has_vjp,
        ItemId.rowSoftmax_has_vjp_mat,
        ItemId.sdpa_back_Q_correct, ItemId.sdpa_back_K_correct, ItemId.sdpa_back_V_correct, ItemId.layerNorm_per_token_has_vjp_mat,
        ItemId.dense_per_token_has_vjp_mat, ItemId.gelu_per_token_has_vjp_mat, ItemId.rowSoftmax_flat_diff,
        ItemId.transformerMlp_has_vjp_mat, ItemId.transformerAttnSublayer_has_vjp_mat, ItemId.transformerMlpSublayer_has_vjp_mat,
        ItemId.transformerBlock_has_vjp_mat, ItemId.transformerTower_has_vjp_mat, ItemId.vit_body_has_vjp_mat,
        ItemId.pdiv_comp, ItemId.pdiv_add, ItemId.pdiv_mul, ItemId.pdiv_id, ItemId.pdiv_const, ItemId.pdiv_reindex,
        ItemId.pdivMat_rowIndep, ItemId.pdiv_finset_sum, ItemId.vjp_comp, ItemId.biPath_has_vjp, ItemId.elemwiseProduct_has_vjp,
        ItemId.identity_has_vjp, ItemId.vjpMat_comp, ItemId.biPathMat_has_vjp, ItemId.identityMat_has_vjp, ItemId.pdivMat_scalarScale,
        ItemId.pdivMat_transpose, ItemId.pdivMat_matmul_left_const, ItemId.pdivMat_matmul_right_const,
        ItemId.matmul_left_const_has_vjp, ItemId.matmul_right_const_has_vjp, ItemId.scalarScale_has_vjp, ItemId.transpose_has_vjp,
        ItemId.rowwise_has_vjp_mat, ItemId.pdiv3_comp, ItemId.vjp3_comp, ItemId.biPath3_has_vjp, ItemId.residual_has_vjp,
    ];

    static readonly string[] Axioms =
    [
        ItemId.pdiv_relu, ItemId.relu_has_vjp, ItemId.mlp_has_vjp, ItemId.conv2d_has_vjp3, ItemId.maxPool2_has_vjp3,
        ItemId.depthwise_has_vjp3, ItemId.mhsa_has_vjp_mat, ItemId.mhsa_layer_flat_diff, ItemId.patchEmbed_flat_has_vjp,
        ItemId.patchEmbed_flat_diff,
    ];

    [Fact]
    public void EveryFormulaTheorem_HasASymbolicCheckAtTwoSizes()
    {
        var missing = FormulaTheorems.Where(item => !DerivationCatalog.All.Any(d => d.Item == item && !d.IsAxiom && d.Instances.Count >= 2))
            .ToList();
        Assert.True(missing.Count == 0, $"formula theorems without a symbolic check at two sizes: {string.Join(", ", missing)}");
    }

    [Fact]
    public void EveryFormulaTheorem_HasAnEvidenceTest()
    {
        var evidenced = typeof(DerivationTests).GetMethods()
            .SelectMany(m => m.GetCustomAttributes<EvidenceAttribute>())
            .Where(a => a.Kind == EvidenceKind.Symbolic).Select(a => a.Item).ToHashSet();
        var missing = DerivationCatalog.All.Where(d => !d.IsAxiom && !evidenced.Contains(d.Item)).Select(d => d.Item).ToList();
        Assert.True(missing.Count == 0, $"catalog entries without an [Evidence(..., Symbolic)] test: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Axioms_AreListedAsNotDerivedWithAReason()
    {
        Assert.Equal(Axioms.Order(), DerivationCatalog.All.Where(d => d.IsAxiom).Select(d => d.Item).Order());
        Assert.All(DerivationCatalog.All.Where(d => d.IsAxiom), d =>
        {
            Assert.Empty(d.Instances);
            Assert.False(string.IsNullOrWhiteSpace(d.AxiomReason));
        });
        var rows = SymbolicSuite.Run(ItemId.maxPool2_has_vjp3);
        Assert.Equal("axiom: not derived", Assert.Single(rows).Result);
    }

    [Fact]
    public void CatalogItems_AreLedgerItems()
    {
        var known = typeof(ItemId).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!).ToHashSet();
        var unknown = DerivationCatalog.All.Concat(DerivationCatalog.Negatives).Select(d => d.Item).Where(i => !known.Contains(i)).ToList();
        Assert.True(unknown.Count == 0, $"catalog entries name items not in ItemId: {string.Join(", ", unknown)}");
        Assert.Equal(DerivationCatalog.All.Count, DerivationCatalog.All.Select(d => d.Item).Distinct().Count());
    }

    [Theory]
    [InlineData(ItemId.bnNormalize_has_vjp)]
    [InlineData(ItemId.pdiv_softmax)]
    [InlineData(ItemId.dense_weight_grad_correct)]
    [InlineData(ItemId.pdiv_gelu)]
    [InlineData(ItemId.transformerAttnSublayer_has_vjp_mat)]
    [InlineData(ItemId.gelu_tanh_has_vjp)]
    public void WrongClosedForm_IsRejectedNamingEntryAndPoint(string item)
    {
        var row = Assert.Single(SymbolicSuite.Run(item), r => r.Item.EndsWith("(wrong form)"));
        Assert.Equal("rejected as expected", row.Result);
        Assert.False(row.Failed);
        Assert.Contains("at point {", row.Detail);
        Assert.Contains("derived = ", row.Detail);
        Assert.Contains("closed form = ", row.Detail);
    }

    [Fact]
    public void NegativeFamily_CoversTheWrongForms()
    {
        Assert.Equal(6, DerivationCatalog.Negatives.Count);
        Assert.All(DerivationCatalog.Negatives, d => Assert.True(d.Negative));
        foreach (var d in DerivationCatalog.Negatives)
            Assert.False(d.Instances[0].Build().Check().Equal, $"{d.Item}: the wrong closed form was accepted");
    }

    [Fact]
    public void Suite_ReportsEveryEntryWithoutFailures()
    {
        var rows = SymbolicSuite.Run();
        Assert.Equal(DerivationCatalog.All.Count + DerivationCatalog.Negatives.Count, rows.Count);
        Assert.DoesNotContain(rows, r => r.Failed);
        Assert.Equal(DerivationCatalog.All.Count(d => !d.IsAxiom), rows.Count(r => r.Result == "checked"));
    }

    [Fact]
    public void UnknownItem_IsAnError() =>
        Assert.Contains("no derivation for item 'nope'", Assert.Throws<ArgumentException>(() => SymbolicSuite.Run("nope")).Message);

    [Fact]
    public void ClosedFormAndDerived_EvaluateToTheSameDoublesAtAPoint()
    {
        var c = DerivationCatalog.All.Single(d => d.Item == ItemId.pdiv_dense).Instances[0].Build();
        Assert.Equal([3, 2], c.Tensors["W"]);
        var point = new Dictionary<string, double[]>
        {
            ["x"] = [0.5, -1.0, 2.0], ["W"] = [1, 2, 3, 4, 5, 6], ["b"] = [0.25, -0.75],
        };
        var closed = c.EvaluateClosedForm(point);
        Assert.Equal([1, 2, 3, 4, 5, 6], closed);
        Assert.Equal(closed, c.EvaluateDerived(point));
    }

    [Fact]
    public void SoftmaxVjp_ClosedFormEvaluatesAtAFloat64Point()
    {
        var c = DerivationCatalog.Find(ItemId.softmax_has_vjp).Instances[0].Build();
        double[] z = [0.2, -0.3, 0.9], dy = [1.0, 0.5, -2.0];
        var e = z.Select(Math.Exp).ToArray();
        var p = e.Select(v => v / e.Sum()).ToArray();
        double dot = p.Zip(dy, (a, b) => a * b).Sum();
        var point = new Dictionary<string, double[]> { ["z"] = z, ["dy"] = dy };
        var closed = c.EvaluateClosedForm(point);
        var derived = c.EvaluateDerived(point);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(p[i] * (dy[i] - dot), closed[i], 1e-15);
            Assert.Equal(closed[i], derived[i], 1e-15);
        }
    }

    [Fact]
    public void EvaluateClosedForm_MissingTensorNamesTheTensorAndShape()
    {
        var c = DerivationCatalog.Find(ItemId.softmax_has_vjp).Instances[0].Build();
        var ex = Assert.Throws<LeanMlirVerify.Calculus.Symbolic.EvaluationException>(
            () => c.EvaluateClosedForm(new Dictionary<string, double[]> { ["z"] = [1, 2, 3] }));
        Assert.Contains("tensor dy with 3 values", ex.Message);
    }
}
