namespace LeanMlirVerify.Calculus.Ledger;

/// <summary>
/// What the book itself states about its items, independent of the ledger files: the per-chapter budget table
/// (Chapter 2, "Axiom and theorem budget per chapter"), the names of the 25 finite-difference checks of Appendix B.2,
/// and the sizes of the four axiom buckets of Appendix B.1. The audit holds the ledger to these.
/// </summary>
public static class BookFacts
{
    public sealed record ChapterBudget(int Chapter, int Axioms, int Theorems, int Definitions, int LastNumber);

    /// <summary>Chapters 2–10 as the book's table gives them; Chapter 11 (22 bestiary definitions) from Appendix B.1.</summary>
    public static readonly IReadOnlyList<ChapterBudget> Budget =
    [
        new(2, 0, 27, 1, 28), new(3, 3, 6, 0, 37), new(4, 2, 2, 2, 43), new(5, 0, 7, 0, 50), new(6, 0, 1, 0, 51),
        new(7, 1, 2, 1, 55), new(8, 0, 1, 0, 56), new(9, 0, 3, 2, 61), new(10, 4, 16, 0, 81), new(11, 0, 0, 22, 103),
    ];

    public const int ItemCount = 103, Axioms = 10, Theorems = 65, Definitions = 28;
    /// <summary>Items 1–81 are the proof chapters: 10 axioms, 65 theorems, 6 definitions.</summary>
    public const int LastProofChapterItem = 81, ProofChapterDefinitions = 6;

    /// <summary>The 25 checks of the book's FD script (check_axioms.py), by result name.</summary>
    public static readonly IReadOnlySet<string> FdChecks = new HashSet<string>
    {
        "pdiv_id", "pdiv_dense", "pdiv_dense_W", "pdiv_dense_b", "pdiv_relu", "softmaxCE_grad", "mlp_has_vjp",
        "conv2d_input_grad", "conv2d_weight_grad", "conv2d_bias_grad", "maxPool2_input_grad", "pdiv_bnNormalize",
        "pdiv_bnCentered", "pdiv_bnIstdBroadcast", "pdiv_bnAffine", "pdiv_softmax", "sdpa_back_Q", "sdpa_back_K",
        "sdpa_back_V", "patchEmbed_flat", "mhsa_has_vjp_mat", "depthwise_input_grad", "depthwise_weight_grad",
        "depthwise_bias_grad", "pdiv_gelu",
    };

    /// <summary>Appendix B.1: three subgradient axioms, three bundled input VJPs, two multi-head SDPA, two patch-embedding.</summary>
    public static readonly IReadOnlyDictionary<AxiomBucket, int> BucketSizes = new Dictionary<AxiomBucket, int>
    {
        [AxiomBucket.SubgradientAtKink] = 3, [AxiomBucket.BundledInputVjp] = 3,
        [AxiomBucket.BundledMultiheadSdpa] = 2, [AxiomBucket.PatchEmbeddingInterface] = 2,
    };
}
